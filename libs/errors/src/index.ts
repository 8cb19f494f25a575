export { Pg2ddbError, errorCode, errorMessage, isRetriable } from './pg2ddb-error';
