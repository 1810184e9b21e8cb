/**
 * The columns of FOCUS 1.2 as data, one entry per file of specification/columns/: feature level,
 * data type, whether the column allows nulls at all, and its allowed values. Conditional
 * nullability (null when another column is, required for some charge categories) is in
 * relations.ts. Only names and values are taken over from the specification, never its text.
 */

export type FeatureLevel = "Mandatory" | "Recommended" | "Conditional";
export type DataType = "Decimal" | "Date/Time" | "String" | "Key-Value";

export interface ColumnDefinition {
  /** The spec file the column is defined in, under specification/columns/. */
  source: string;
  level: FeatureLevel;
  type: DataType;
  /** False when the column is never null; true when it may be (see relations.ts for when). */
  nullable: boolean;
  allowed?: readonly string[];
  /** Decimal columns whose values are never negative (unit prices). */
  nonNegative?: true;
  /** A national currency: an ISO 4217 code (specification/attributes/currency_format.md). */
  nationalCurrency?: true;
  /**
   * A recommended column whose presence depends on what the provider offers (and so is not
   * checked), like a conditional column.
   */
  presentWhen?: string;
}

/** Service categories and the subcategories each one has (servicesubcategory.md). */
export const SERVICE_SUBCATEGORIES: Readonly<Record<string, readonly string[]>> = {
  "AI and Machine Learning": [
    "AI Platforms",
    "Bots",
    "Generative AI",
    "Machine Learning",
    "Natural Language Processing",
    "Other (AI and Machine Learning)",
  ],
  Analytics: [
    "Analytics Platforms",
    "Business Intelligence",
    "Data Processing",
    "Search",
    "Streaming Analytics",
    "Other (Analytics)",
  ],
  "Business Applications": ["Productivity and Collaboration", "Other (Business Applications)"],
  Compute: [
    "Containers",
    "End User Computing",
    "Quantum Compute",
    "Serverless Compute",
    "Virtual Machines",
    "Other (Compute)",
  ],
  Databases: [
    "Caching",
    "Data Warehouses",
    "Ledger Databases",
    "NoSQL Databases",
    "Relational Databases",
    "Time Series Databases",
    "Other (Databases)",
  ],
  "Developer Tools": [
    "Developer Platforms",
    "Continuous Integration and Deployment",
    "Development Environments",
    "Source Code Management",
    "Quality Assurance",
    "Other (Developer Tools)",
  ],
  Identity: ["Identity and Access Management", "Other (Identity)"],
  Integration: ["API Management", "Messaging", "Workflow Orchestration", "Other (Integration)"],
  "Internet of Things": ["IoT Analytics", "IoT Platforms", "Other (Internet of Things)"],
  "Management and Governance": [
    "Architecture",
    "Compliance",
    "Cost Management",
    "Data Governance",
    "Disaster Recovery",
    "Endpoint Management",
    "Observability",
    "Support",
    "Other (Management and Governance)",
  ],
  Media: ["Content Creation", "Gaming", "Media Streaming", "Mixed Reality", "Other (Media)"],
  Migration: ["Data Migration", "Resource Migration", "Other (Migration)"],
  Mobile: ["Other (Mobile)"],
  Multicloud: ["Multicloud Integration", "Other (Multicloud)"],
  Networking: [
    "Application Networking",
    "Content Delivery",
    "Network Connectivity",
    "Network Infrastructure",
    "Network Routing",
    "Network Security",
    "Other (Networking)",
  ],
  Security: [
    "Secret Management",
    "Security Posture Management",
    "Threat Detection and Response",
    "Other (Security)",
  ],
  Storage: [
    "Backup Storage",
    "Block Storage",
    "File Storage",
    "Object Storage",
    "Storage Platforms",
    "Other (Storage)",
  ],
  Web: ["Application Platforms", "Other (Web)"],
  Other: ["Other (Other)"],
};

const USED_UNUSED = ["Used", "Unused"] as const;

/** Shorthands for the common shapes. */
const string = (source: string, level: FeatureLevel, nullable: boolean): ColumnDefinition => ({
  source,
  level,
  type: "String",
  nullable,
});
const decimal = (source: string, level: FeatureLevel, nullable: boolean): ColumnDefinition => ({
  source,
  level,
  type: "Decimal",
  nullable,
});
const dateTime = (source: string): ColumnDefinition => ({
  source,
  level: "Mandatory",
  type: "Date/Time",
  nullable: false,
});
const unitPrice = (source: string): ColumnDefinition => ({
  ...decimal(source, "Conditional", true),
  nonNegative: true,
});

export const FOCUS_COLUMN_DEFINITIONS: Readonly<Record<string, ColumnDefinition>> = {
  AvailabilityZone: {
    ...string("availabilityzone.md", "Recommended", true),
    presentWhen: "the provider deploys into availability zones",
  },
  BilledCost: decimal("billedcost.md", "Mandatory", false),
  BillingAccountId: string("billingaccountid.md", "Mandatory", false),
  BillingAccountName: string("billingaccountname.md", "Mandatory", true),
  // Its null rule follows BillingAccountId, which is never null.
  BillingAccountType: string("billingaccounttype.md", "Conditional", false),
  BillingCurrency: {
    ...string("billingcurrency.md", "Mandatory", false),
    nationalCurrency: true,
  },
  BillingPeriodEnd: dateTime("billingperiodend.md"),
  BillingPeriodStart: dateTime("billingperiodstart.md"),
  CapacityReservationId: string("capacityreservationid.md", "Conditional", true),
  CapacityReservationStatus: {
    ...string("capacityreservationstatus.md", "Conditional", true),
    allowed: USED_UNUSED,
  },
  ChargeCategory: {
    ...string("chargecategory.md", "Mandatory", false),
    allowed: ["Usage", "Purchase", "Tax", "Credit", "Adjustment"],
  },
  ChargeClass: { ...string("chargeclass.md", "Mandatory", true), allowed: ["Correction"] },
  ChargeDescription: string("chargedescription.md", "Mandatory", true),
  ChargeFrequency: {
    ...string("chargefrequency.md", "Recommended", false),
    allowed: ["One-Time", "Recurring", "Usage-Based"],
  },
  ChargePeriodEnd: dateTime("chargeperiodend.md"),
  ChargePeriodStart: dateTime("chargeperiodstart.md"),
  CommitmentDiscountCategory: {
    ...string("commitmentdiscountcategory.md", "Conditional", true),
    allowed: ["Spend", "Usage"],
  },
  CommitmentDiscountId: string("commitmentdiscountid.md", "Conditional", true),
  CommitmentDiscountName: string("commitmentdiscountname.md", "Conditional", true),
  CommitmentDiscountQuantity: decimal("commitmentdiscountquantity.md", "Conditional", true),
  CommitmentDiscountStatus: {
    ...string("commitmentdiscountstatus.md", "Conditional", true),
    allowed: USED_UNUSED,
  },
  CommitmentDiscountType: string("commitmentdiscounttype.md", "Conditional", true),
  CommitmentDiscountUnit: string("commitmentdiscountunit.md", "Conditional", true),
  ConsumedQuantity: decimal("consumedquantity.md", "Conditional", true),
  ConsumedUnit: string("consumedunit.md", "Conditional", true),
  ContractedCost: decimal("contractedcost.md", "Mandatory", false),
  ContractedUnitPrice: unitPrice("contractedunitprice.md"),
  EffectiveCost: decimal("effectivecost.md", "Mandatory", false),
  InvoiceId: string("invoiceid.md", "Recommended", true),
  InvoiceIssuerName: string("invoiceissuer.md", "Mandatory", false),
  ListCost: decimal("listcost.md", "Mandatory", false),
  ListUnitPrice: unitPrice("listunitprice.md"),
  PricingCategory: {
    ...string("pricingcategory.md", "Conditional", true),
    allowed: ["Standard", "Dynamic", "Committed", "Other"],
  },
  // The constraints table allows nulls, the requirements do not: the stricter one is checked.
  PricingCurrency: string("pricingcurrency.md", "Conditional", false),
  PricingCurrencyContractedUnitPrice: unitPrice("pricingcurrencycontractedunitprice.md"),
  PricingCurrencyEffectiveCost: decimal("pricingcurrencyeffectivecost.md", "Conditional", false),
  PricingCurrencyListUnitPrice: unitPrice("pricingcurrencylistunitprice.md"),
  PricingQuantity: decimal("pricingquantity.md", "Mandatory", true),
  PricingUnit: string("pricingunit.md", "Mandatory", true),
  ProviderName: string("provider.md", "Mandatory", false),
  PublisherName: string("publisher.md", "Mandatory", false),
  RegionId: string("regionid.md", "Conditional", true),
  RegionName: string("regionname.md", "Conditional", true),
  ResourceId: string("resourceid.md", "Conditional", true),
  ResourceName: string("resourcename.md", "Conditional", true),
  ResourceType: string("resourcetype.md", "Conditional", true),
  ServiceCategory: {
    ...string("servicecategory.md", "Mandatory", false),
    allowed: Object.keys(SERVICE_SUBCATEGORIES),
  },
  ServiceName: string("servicename.md", "Mandatory", false),
  ServiceSubcategory: {
    ...string("servicesubcategory.md", "Recommended", false),
    allowed: Object.values(SERVICE_SUBCATEGORIES).flat(),
  },
  SkuId: string("skuid.md", "Conditional", true),
  SkuMeter: string("skumeter.md", "Conditional", true),
  SkuPriceDetails: {
    source: "skupricedetails.md",
    level: "Conditional",
    type: "Key-Value",
    nullable: true,
  },
  SkuPriceId: string("skupriceid.md", "Conditional", true),
  SubAccountId: string("subaccountid.md", "Conditional", true),
  SubAccountName: string("subaccountname.md", "Conditional", true),
  SubAccountType: string("subaccounttype.md", "Conditional", true),
  Tags: { source: "tags.md", level: "Conditional", type: "Key-Value", nullable: true },
};
