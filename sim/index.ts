/** Public surface of the Etsy simulator and the OpenAPI contract validator. */
export { startEtsySimulator } from './etsy-simulator';
export type { EtsySimulator, EtsySimulatorOptions, RequestInfo, AppliedInfo, Violation, SimCounters, LoggedRequest, ListingSnapshot, ProductSnapshot } from './etsy-simulator';
export { createOpenApiValidator, loadEtsyOpenApiDocument } from './openapi-validator';
export type { OpenApiValidator, OpenApiValidatorOptions, RequestInput, RequestValidationResult, ResponseValidationResult, OperationMatch, OperationInfo } from './openapi-validator';
export { generateShop, demoShop, benchShop, seededRandom, SIZE_PROPERTY, FRAME_PROPERTY, PAPER_PROPERTY } from './generate-shop';
export type { GenerateShopOptions } from './generate-shop';
export type { ShopSeed, SeedListing, SeedProduct, SeedProperty, ListingState, SimShop, SimForms, ReceiptStatus } from './sim-model';
export type { ProductSelector, SaleResult } from './sim-store';
export type { TokenSet, AuthStats } from './sim-auth';
export type { RateLimits } from './sim-rate-limit';
