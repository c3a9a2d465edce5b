import type { Plan } from '../../../shared/plan';

/**
 * One plan out of the plans of disjoint SKU groups (a full run plans group by group, docs/SYNC.md):
 * the lists joined in the order given, the summary summed. Groups share no SKU and no listing, so
 * nothing is counted twice and the result is the plan of the whole shop, up to the order of its items.
 */
export function emptyPlan(computedAt: number): Plan {
  return {
    computedAt,
    changes: [],
    catalogCreates: [],
    listingWrites: [],
    stateChanges: [],
    baselines: [],
    newLinks: [],
    attention: [],
    summary: {
      skus: 0,
      changes: 0,
      catalogChanges: 0,
      etsyQuantityChanges: 0,
      priceChanges: 0,
      listingWrites: 0,
      stateChanges: 0,
      catalogCreates: 0,
      newLinks: 0,
      attention: 0,
    },
  };
}

/** Appends `part` to `into` (mutating it; the accumulator is the caller's own). */
export function appendPlan(into: Plan, part: Plan): Plan {
  into.changes.push(...part.changes);
  into.catalogCreates.push(...part.catalogCreates);
  into.listingWrites.push(...part.listingWrites);
  into.stateChanges.push(...part.stateChanges);
  into.baselines.push(...part.baselines);
  into.newLinks.push(...part.newLinks);
  into.attention.push(...part.attention);
  for (const key of Object.keys(into.summary) as (keyof Plan['summary'])[]) into.summary[key] += part.summary[key];
  return into;
}
