import { readFileSync } from 'node:fs';
import { UsageError } from './framework/exit-codes';
import { compileMapping, loadMapping, type CompiledMapping } from '@pg2ddb/mapping';

/**
 * Reads, validates and compiles a mapping file; errors name the file, entity and field. A file
 * that cannot be read is a usage error (exit 2) naming --mapping.
 */
export function loadMappingFile(path: string): CompiledMapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    throw new UsageError(`--mapping ${path}: cannot read the mapping file (${reason})`);
  }
  return compileMapping(loadMapping(text, path), path);
}
