import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Allocates expression placeholders so that no attribute name or value is ever spliced into an
 * expression: names become `#n0, #n1…` (one per distinct name, so reserved words, dots and any
 * unicode are safe), values `:v0, :v1…`. Callers may add fixed tokens (`#ver`, `:ver`) that cannot
 * collide with the generated ones.
 */
export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, SdkAttributeValue> = {};
  private readonly tokens = new Map<string, string>();
  private valueCount = 0;

  /** The placeholder of an attribute name (or map key). */
  name(name: string): string {
    let token = this.tokens.get(name);
    if (token === undefined) {
      token = `#n${this.tokens.size}`;
      this.tokens.set(name, token);
      this.names[token] = name;
    }
    return token;
  }

  /** A fresh placeholder holding the value. */
  value(value: SdkAttributeValue): string {
    const token = `:v${this.valueCount++}`;
    this.values[token] = value;
    return token;
  }
}
