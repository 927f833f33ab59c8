/**
 * The catalog capability's front door (issue 21): products, materials, suppliers, customers,
 * test methods and specifications. Other capabilities import only from here.
 */
export { CatalogService, kinds as catalogKinds, type CatalogKind, type CatalogView } from './catalog-service';
export { SpecService } from './spec-service';
export { CompanyService, type CompanyFacts } from './company-service';
export { imfStages } from './spec-rules';
export { C } from './entities';
export { catalogReads, type CatalogReads, type SpecLabelRow, type ProductFacts, type CertificateProduct } from './queries';
