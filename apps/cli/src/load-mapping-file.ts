import { readFileSync } from 'node:fs';
import { compileMapping, loadMapping, type CompiledMapping } from '@pg2ddb/mapping';

/** Reads, validates and compiles a mapping file; errors name the file, entity and field. */
export function loadMappingFile(path: string): CompiledMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read mapping file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return compileMapping(loadMapping(text, path), path);
}
