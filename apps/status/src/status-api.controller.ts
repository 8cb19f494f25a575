import { BadRequestException, Body, Controller, ForbiddenException, Get, Headers, HttpCode, Inject, NotFoundException, Param, Post, UnauthorizedException } from '@nestjs/common';
import { CONNECTOR_ACTIONS, replayDeadLetters, runConnectorAction, type ConnectorAction, type PipelineClients, type ReplayResult } from '@pg2ddb/ops';
import { Pg2ddbError } from '@pg2ddb/errors';
import { ConnectClient } from '@pg2ddb/kafka';
import { isAdmin } from './admin-token';
import type { StatusConfig } from './status-config';
import { StatusSampler } from './status-sampler.service';
import { PIPELINE_CLIENTS, STATUS_CONFIG } from './tokens';

/**
 * The page's JSON API. Reads are open (the same as `pg2ddb status`); actions need
 * `Authorization: Bearer <PG2DDB_STATUS_ADMIN_TOKEN>` and are refused when no token is configured.
 */
@Controller('api')
export class StatusApiController {
  constructor(
    private readonly sampler: StatusSampler,
    @Inject(PIPELINE_CLIENTS) private readonly clients: PipelineClients,
    @Inject(STATUS_CONFIG) private readonly config: StatusConfig,
  ) {}

  @Get('status')
  status() {
    return this.sampler.view();
  }

  @Post('connector/:action')
  @HttpCode(200)
  async connector(@Param('action') action: string, @Headers('authorization') authorization: string | undefined): Promise<{ state: string }> {
    this.authorize(authorization);
    if (!(CONNECTOR_ACTIONS as readonly string[]).includes(action)) throw new BadRequestException(`unknown action "${action}" (${CONNECTOR_ACTIONS.join(', ')})`);
    try {
      const status = await runConnectorAction(new ConnectClient(this.clients.connectUrl, this.clients.connectAuth), this.clients.connectorName, action as ConnectorAction, 60_000);
      await this.sampler.tick();
      return { state: status.connector.state };
    } catch (error) {
      if (error instanceof Pg2ddbError && error.code === 'CONNECTOR_ABSENT') throw new NotFoundException(error.message);
      throw error;
    }
  }

  @Post('dead-letters/replay')
  @HttpCode(200)
  async replay(@Headers('authorization') authorization: string | undefined, @Body() body: unknown): Promise<ReplayResult> {
    this.authorize(authorization);
    const { stage, code } = (typeof body === 'object' && body !== null ? body : {}) as { stage?: unknown; code?: unknown };
    if ((stage !== undefined && typeof stage !== 'string') || (code !== undefined && typeof code !== 'string')) throw new BadRequestException('stage and code must be strings');
    const result = await replayDeadLetters(this.clients.kafka, this.clients.prefix, {
      filter: { ...(stage ? { stage } : {}), ...(code ? { code } : {}) },
    });
    await this.sampler.tick({ refreshDeadLetters: true });
    return result;
  }

  private authorize(authorization: string | undefined): void {
    if (this.config.PG2DDB_STATUS_ADMIN_TOKEN === undefined) throw new ForbiddenException('actions are off: the status service has no PG2DDB_STATUS_ADMIN_TOKEN');
    if (!isAdmin(authorization, this.config.PG2DDB_STATUS_ADMIN_TOKEN)) throw new UnauthorizedException('a valid admin token is required (Authorization: Bearer …)');
  }
}
