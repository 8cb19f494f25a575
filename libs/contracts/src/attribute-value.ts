/**
 * DynamoDB's AttributeValue in its JSON wire form. Numbers travel as strings (exact digits),
 * binary as base64, so a write command survives Kafka without losing precision.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

/** An item or key: attribute name → value. */
export type AttributeMap = Record<string, AttributeValue>;
