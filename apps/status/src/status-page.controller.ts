import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, Header } from '@nestjs/common';
import { repoRoot } from '@pg2ddb/service';

// The page is three static files, read once at start: no build step, no bundler.
const PUBLIC = join(repoRoot(), 'apps', 'status', 'public');
const read = (name: string) => readFileSync(join(PUBLIC, name), 'utf8');

/** Serves the status page itself (HTML, its script and its style sheet). */
@Controller()
export class StatusPageController {
  private readonly files = { html: read('index.html'), js: read('status-page.js'), css: read('status-page.css') };

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page(): string {
    return this.files.html;
  }

  @Get('status-page.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return this.files.js;
  }

  @Get('status-page.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'no-cache')
  styles(): string {
    return this.files.css;
  }
}
