import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { Liveness, Readiness } from './readiness';

/** Liveness, readiness and Prometheus metrics, the same for every pg2ddb service. */
@Controller()
export class HealthController {
  constructor(
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(Liveness) private readonly liveness: Liveness,
    @Inject(Registry) private readonly registry: Registry,
  ) {}

  @Get('health/live')
  async live(@Res() res: Response): Promise<void> {
    const result = await this.liveness.evaluate();
    res.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ok' : 'not-live', checks: result.checks });
  }

  @Get('health/ready')
  async ready(@Res() res: Response): Promise<void> {
    const result = await this.readiness.evaluate();
    res.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ready' : 'not-ready', checks: result.checks });
  }

  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', this.registry.contentType);
    res.send(await this.registry.metrics());
  }
}
