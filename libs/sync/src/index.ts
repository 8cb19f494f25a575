export { coalesceCommands } from './coalesce-commands';
export {
  formatLsn,
  formatVersion,
  isSnapshot,
  parseVersion,
  sourceVersion,
  versionParts,
  type VersionParts,
} from './source-version';
