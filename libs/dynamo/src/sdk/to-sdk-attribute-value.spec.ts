import type { AttributeMap } from '@pg2ddb/contracts';

import { DynamoErrorCode } from './dynamo-error';
import { fromSdkItem } from './from-sdk-attribute-value';
import { toSdkAttributeValue, toSdkItem } from './to-sdk-attribute-value';

describe('toSdkAttributeValue / fromSdkItem', () => {
  const item: AttributeMap = {
    s: { S: 'héllo' },
    n: { N: '12345678901234567890123456789012345678' },
    b: { B: Buffer.from([0, 1, 254, 255]).toString('base64') },
    bool: { BOOL: false },
    nil: { NULL: true },
    m: { M: { 'child.with.dots': { S: 'x' }, bin: { B: 'AAE=' } } },
    l: { L: [{ N: '1' }, { B: '/w==' }] },
    ss: { SS: ['a', 'b'] },
    ns: { NS: ['1', '2.5'] },
    bs: { BS: ['AA==', 'AQI='] },
  };

  it('turns base64 into bytes for the SDK, everything else as is, and back again losslessly', () => {
    const sdk = toSdkItem(item);
    expect(sdk.b?.B).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(sdk.m?.M?.bin?.B).toEqual(new Uint8Array([0, 1]));
    expect(sdk.bs?.BS).toEqual([new Uint8Array([0]), new Uint8Array([1, 2])]);
    expect(sdk.n).toEqual({ N: '12345678901234567890123456789012345678' });
    expect(fromSdkItem(sdk)).toEqual(item);
  });

  it('reads bytes that are a view into a larger buffer correctly', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 9]);
    expect(fromSdkItem({ b: { B: backing.subarray(2, 4) } })).toEqual({ b: { B: 'AQI=' } });
  });

  it.each([
    ['bad base64 characters', { B: 'not base64!' }],
    ['non-canonical base64 length', { B: 'AAE' }],
    ['an unknown type', { X: 1 }],
    ['no object', null],
  ])('rejects %s as a permanent INVALID_COMMAND', (_label, value) => {
    // Values straight from JSON: the contract type does not hold for them.
    expect(() => toSdkAttributeValue(value as never)).toThrow(
      expect.objectContaining({ code: DynamoErrorCode.INVALID_COMMAND, retriable: false }),
    );
  });
});
