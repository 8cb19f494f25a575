import { Body, ConflictException, Controller, ForbiddenException, HttpCode, Inject, Post, Headers, UnauthorizedException, BadRequestException } from '@nestjs/common';
import type { ReconcileReport } from '@pg2ddb/reconcile';

import { adminPermission } from './admin-auth';
import type { ReconcilerConfig } from './reconciler-config';
import { ReconciliationBusyError, ReconciliationService, type OnDemandRequest } from './reconciliation.service';
import { RECONCILER_CONFIG } from './tokens';

const MODES = ['count', 'sample', 'full', 'recent'] as const;

/**
 * `POST /reconcile` — an on-demand run, authenticated with `Authorization: Bearer <token>`
 * (PG2DDB_RECONCILER_TOKEN; a run that repairs needs PG2DDB_REPAIR_TOKEN, else 403). Registered
 * only when the endpoint is enabled and a token is set.
 * Body (all optional): `{ "mode": "full", "entities": ["Payment"], "sampleSize": 100, "repair": false }`.
 * Answers with the run's report once it is done (409 while another run is going).
 */
@Controller('reconcile')
export class ReconcileController {
  constructor(
    @Inject(RECONCILER_CONFIG) private readonly config: ReconcilerConfig,
    private readonly reconciliation: ReconciliationService,
  ) {}

  @Post()
  @HttpCode(200)
  async reconcile(@Headers('authorization') authorization: string | undefined, @Body() body: unknown): Promise<ReconcileReport> {
    const permission = adminPermission(authorization, { admin: this.config.PG2DDB_RECONCILER_TOKEN, repair: this.config.PG2DDB_REPAIR_TOKEN });
    if (permission === 'none') throw new UnauthorizedException('a valid bearer token is required');
    const request = parseRequest(body);
    if ((request.repair ?? this.config.PG2DDB_RECONCILE_REPAIR) && permission !== 'repair') {
      throw new ForbiddenException('repair needs the repair token (PG2DDB_REPAIR_TOKEN); send "repair": false to compare only');
    }
    try {
      return await this.reconciliation.run(request);
    } catch (error) {
      if (error instanceof ReconciliationBusyError) throw new ConflictException(error.message);
      throw error;
    }
  }
}

function parseRequest(body: unknown): OnDemandRequest {
  const input = (body ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || Array.isArray(input)) throw new BadRequestException('the body must be a JSON object');
  const request: OnDemandRequest = {};
  if (input.mode !== undefined) {
    if (!MODES.includes(input.mode as (typeof MODES)[number])) throw new BadRequestException(`mode must be one of ${MODES.join(', ')}`);
    request.mode = input.mode as OnDemandRequest['mode'];
  }
  if (input.entities !== undefined) {
    if (!Array.isArray(input.entities) || !input.entities.every((e) => typeof e === 'string')) throw new BadRequestException('entities must be an array of entity names');
    request.entities = input.entities as string[];
  }
  if (input.sampleSize !== undefined) {
    if (!Number.isSafeInteger(input.sampleSize) || (input.sampleSize as number) < 1) throw new BadRequestException('sampleSize must be a positive integer');
    request.sampleSize = input.sampleSize as number;
  }
  if (input.repair !== undefined) {
    if (typeof input.repair !== 'boolean') throw new BadRequestException('repair must be true or false');
    request.repair = input.repair;
  }
  return request;
}
