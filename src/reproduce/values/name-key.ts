// How a parameter or local name is compared with a request field or span attribute: callers,
// clients and SDKs spell the same name in snake_case, camelCase or kebab-case.

/** `order_id`, `orderId`, `order-id` compare equal. */
export function nameKey(name: string): string {
  return name.replace(/[_-]/g, '').toLowerCase();
}
