import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';

import type { Mapping } from './mapping-definition';
import { MappingConfigError } from '../mapping-error';
import schema from './mapping.schema.json';
import { validateMapping } from './validate-mapping';

let compiledSchema: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  compiledSchema ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  return compiledSchema;
}

/**
 * Parses a mapping file's text (YAML, or JSON, which is YAML too) and validates it against
 * `mapping.schema.json` and the semantic rules. Reading the file is the caller's job; `fileName`
 * only names it in messages. Throws `MappingConfigError` listing every problem found.
 */
export function loadMapping(text: string, fileName: string): Mapping {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length > 0) {
    throw new MappingConfigError(
      document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        const where = `line ${position.line}, column ${position.col}: `;
        return `${fileName}: ${where}${error.message.split('\n')[0]}`;
      }),
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new MappingConfigError([`${fileName}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  assertValidMapping(value, fileName);
  return value;
}

/**
 * Validates a mapping given as data (already parsed): the JSON schema first, then — when the
 * shape is right — the semantic checks. Throws `MappingConfigError` listing every problem.
 */
export function assertValidMapping(value: unknown, fileName: string): asserts value is Mapping {
  const validate = schemaValidator();
  if (!validate(value)) {
    throw new MappingConfigError(formatSchemaErrors(validate.errors ?? [], value, fileName));
  }
  const issues = validateMapping(value as Mapping, fileName);
  if (issues.length > 0) throw new MappingConfigError(issues);
}

/** Ajv errors as `<file>: entity "Payment": key: missing required property "pk"`. */
function formatSchemaErrors(errors: ErrorObject[], value: unknown, fileName: string): string[] {
  const lines = errors.map((error) => `${fileName}: ${describePath(error.instancePath, value)}${describeError(error)}`);
  return [...new Set(lines)];
}

function describePath(pointer: string, root: unknown): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (segments.length === 0) return 'mapping: ';
  if (segments[0] === 'entities' && segments.length >= 2) {
    const entity = (root as { entities?: Array<{ name?: unknown }> }).entities?.[Number(segments[1])];
    const name = typeof entity?.name === 'string' ? `entity "${entity.name}"` : `entities[${segments[1]}]`;
    const rest = formatSegments(segments.slice(2));
    return rest ? `${name}: ${rest}: ` : `${name}: `;
  }
  return `${formatSegments(segments)}: `;
}

function formatSegments(segments: string[]): string {
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required property "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return `unknown property "${String(params.additionalProperty)}"`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? error.keyword;
  }
}
