import { Pg2ddbError, errorCode, errorMessage, isRetriable } from './pg2ddb-error';

describe('Pg2ddbError', () => {
  it('keeps code, retriable flag, cause and details', () => {
    const cause = new Error('socket hang up');
    const error = new Pg2ddbError('DYNAMO_THROTTLED', 'throttled', { retriable: true, cause, details: { table: 't' } });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('Pg2ddbError');
    expect(error.code).toBe('DYNAMO_THROTTLED');
    expect(error.retriable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ table: 't' });
  });

  it('names subclasses after themselves', () => {
    class MappingError extends Pg2ddbError {}
    expect(new MappingError('X', 'y').name).toBe('MappingError');
  });

  it('classifies retriable through the cause chain and defaults to permanent', () => {
    const inner = new Pg2ddbError('NET', 'down', { retriable: true });
    expect(isRetriable(new Error('wrapper', { cause: inner }))).toBe(true);
    expect(isRetriable(new Pg2ddbError('BAD', 'bad'))).toBe(false);
    expect(isRetriable(new TypeError('x'))).toBe(false);
    expect(isRetriable(undefined)).toBe(false);
  });

  it('derives codes and messages from anything thrown', () => {
    expect(errorCode(new Pg2ddbError('A_B', 'm'))).toBe('A_B');
    expect(errorCode(new TypeError('m'))).toBe('UNEXPECTED_TYPEERROR');
    expect(errorCode('oops')).toBe('UNEXPECTED_ERROR');
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage({ a: 1 })).toBe('{"a":1}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(errorMessage(circular)).toBe('[object Object]');
  });
});
