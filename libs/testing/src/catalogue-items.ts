import type { AttributeMap } from '@pg2ddb/contracts';
import { mapRow, type CompiledMapping } from '@pg2ddb/mapping';

/**
 * Deterministic DynamoDB-first catalogue data (examples/catalogue): `orders` orders (users: orders/4, books: orders/5,
 * 1–3 lines each), written as the application writes them (the items the mapping describes,
 * without pg2ddb's `_ver`). Row `n` of each kind is always the same item.
 */
export function catalogueItems(mapping: CompiledMapping, orders: number): AttributeMap[] {
  const users = Math.max(4, Math.floor(orders / 4));
  const books = Math.max(5, Math.floor(orders / 5));
  const items: AttributeMap[] = [];
  for (let i = 0; i < books; i++) items.push(bookItem(mapping, i));
  for (let i = 0; i < users; i++) items.push(userItem(mapping, i));
  for (let i = 0; i < orders; i++) items.push(...orderItems(mapping, i, users, books));
  return items;
}

/** Book `n`. */
export function bookItem(mapping: CompiledMapping, n: number, overrides: Record<string, unknown> = {}): AttributeMap {
  return item(mapping, 'Book', {
    isbn: isbn(n),
    title: `Book ${n}: ${['A Tale', 'Notes', 'The Art', 'Songs'][n % 4]} #${n}`,
    author: `Author ${n % 37}`,
    price: `${(5 + (n % 50) * 1.1).toFixed(2)}`,
    tags: n % 3 === 0 ? [] : ['fiction', n % 2 ? 'classic' : 'new'],
    published_on: `${1950 + (n % 70)}-0${1 + (n % 9)}-1${n % 10}`,
    details: JSON.stringify({ pages: 100 + n, edition: { number: 1 + (n % 3), year: 2000 + (n % 24) }, rating: Number(((n % 50) / 10).toFixed(1)) }),
    ...overrides,
  });
}

/** User `n`. */
export function userItem(mapping: CompiledMapping, n: number, overrides: Record<string, unknown> = {}): AttributeMap {
  return item(mapping, 'User', {
    user_id: userId(n),
    email: `user${n}@example.com`,
    name: `User ${n}`,
    created_at: `2023-0${1 + (n % 9)}-0${1 + (n % 9)} 10:${String(n % 60).padStart(2, '0')}:00.${String(n % 1000000).padStart(6, '0')}+00`,
    ...overrides,
  });
}

/** Order `n` and its 1–3 lines. */
export function orderItems(mapping: CompiledMapping, n: number, users: number, books: number, overrides: Record<string, unknown> = {}): AttributeMap[] {
  const lines = 1 + (n % 3);
  const items = [
    item(mapping, 'Order', {
      order_id: String(n + 1),
      user_id: userId(n % users),
      placed_at: `2024-0${1 + (n % 9)}-1${n % 10} 12:00:00.${String(n % 1000000).padStart(6, '0')}+00`,
      status: ['PLACED', 'PAID', 'SHIPPED'][n % 3],
      total: `${(lines * 9.5).toFixed(2)}`,
      ...overrides,
    }),
  ];
  for (let line = 1; line <= lines; line++) {
    items.push(item(mapping, 'OrderLine', { order_id: String(n + 1), line_no: line, isbn: isbn((n + line) % books), quantity: line, unit_price: '9.50' }));
  }
  return items;
}

/** The isbn of book `n`. */
export function isbn(n: number): string {
  return `978${String(n).padStart(10, '0')}`;
}

/** The id of user `n`. */
export function userId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function item(mapping: CompiledMapping, entity: string, row: Record<string, unknown>): AttributeMap {
  const mapped = mapRow(mapping.entity(entity)!, row);
  if (mapped.kind !== 'item') throw new Error(`${entity} rows map to whole items`);
  return mapped.item;
}
