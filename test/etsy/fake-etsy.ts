import { createEtsyClient, type CreateEtsyClientOptions, type EtsyClient } from '../../src/main/etsy/client';
import { MemoryBudgetStore } from '../../src/main/etsy/rate-limit/budget-store';
import type { TokenProvider } from '../../src/main/etsy/token-provider';

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

export type Handler = (req: SeenRequest) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A scripted fetch: records every request that reached "Etsy" and answers with `handler`. */
export function fakeFetch(handler: Handler): { fetch: CreateEtsyClientOptions['fetch'] & object; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetch = async (input: Request, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? input.signal;
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const req: SeenRequest = {
      method: input.method,
      url: new URL(input.url),
      headers: input.headers,
      body: input.method === 'GET' ? '' : await input.text(),
    };
    seen.push(req);
    return handler(req);
  };
  return { fetch, seen };
}

export class FakeTokens implements TokenProvider {
  issued = 0;
  invalidated: string[] = [];
  async getAccessToken(): Promise<string> {
    this.issued += 1;
    return `12345.token-${this.issued}-abcdefghijklmnop`;
  }
  invalidate(token: string): void {
    this.invalidated.push(token);
  }
}

export function makeClient(
  handler: Handler,
  overrides: Partial<CreateEtsyClientOptions> = {},
): { client: EtsyClient; seen: SeenRequest[]; tokens: FakeTokens; store: MemoryBudgetStore } {
  const { fetch, seen } = fakeFetch(handler);
  const tokens = new FakeTokens();
  const store = new MemoryBudgetStore({ limitPerSecond: 1000, limitPerDay: 100_000 });
  const client = createEtsyClient({
    apiUrl: 'http://127.0.0.1:9',
    keystring: 'kstr-test',
    sharedSecret: 'shh-secret',
    tokens,
    budget: store,
    fetch,
    random: () => 0.5,
    ...overrides,
  });
  return { client, seen, tokens, store };
}

export function listing(id: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    listing_id: id,
    shop_id: 1,
    title: `Print ${id}`,
    state: 'active',
    quantity: 3,
    skus: [`SKU-${id}`],
    updated_timestamp: 1_700_000_000,
    inventory: inventory(`SKU-${id}`),
    ...extra,
  };
}

export function inventory(sku: string, quantity = 3): Record<string, unknown> {
  return {
    products: [
      {
        product_id: 11,
        sku,
        is_deleted: false,
        offerings: [
          { offering_id: 21, quantity, is_enabled: true, is_deleted: false, price: { amount: 2500, divisor: 100, currency_code: 'USD' }, readiness_state_id: 7 },
        ],
        property_values: [],
      },
    ],
    price_on_property: [],
    quantity_on_property: [],
    sku_on_property: [],
    readiness_state_on_property: [],
  };
}
