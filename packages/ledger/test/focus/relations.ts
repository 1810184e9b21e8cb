/**
 * The row-level rules of FOCUS 1.2 that tie columns together: cost relations per charge
 * category, null rules that follow another column, period bounds. Each names the spec file
 * (under specification/columns/) it is built from. A rule applies only when the columns in
 * `requires` are present; an absent column otherwise reads as null, as FOCUS treats a
 * conditional column the provider has no use for.
 */
import { SERVICE_SUBCATEGORIES } from "./columns.js";
import { compareExact, type ExactDecimal, exactDecimal, multiplyExact, ZERO } from "./decimal.js";

/** One parsed FOCUS row: column → cell, null for an empty cell. */
export type FocusRecord = Readonly<Record<string, string | null>>;

export interface Relation {
  id: string;
  source: string;
  level: "MUST" | "SHOULD";
  requires: readonly string[];
  /** What is wrong with the row, or undefined when the rule holds. */
  check(row: FocusRecord): string | undefined;
}

const cell = (row: FocusRecord, column: string): string | null => row[column] ?? null;
const isNull = (row: FocusRecord, column: string) => cell(row, column) === null;
const category = (row: FocusRecord) => cell(row, "ChargeCategory");
const isCorrection = (row: FocusRecord) => cell(row, "ChargeClass") === "Correction";
const usageOrPurchase = (row: FocusRecord) =>
  category(row) === "Usage" || category(row) === "Purchase";
/** A cell's exact value; malformed cells are reported by the cell checks, and read as 0 here. */
const amount = (row: FocusRecord, column: string): ExactDecimal =>
  exactDecimal(cell(row, column) ?? "") ?? ZERO;
const same = (row: FocusRecord, a: string, b: string) =>
  compareExact(amount(row, a), amount(row, b)) === 0;

/**
 * A usage or purchase row whose cost an earlier purchase paid: nothing billed now, its
 * amortised share in EffectiveCost (effectivecost.md). Such a row is related to the purchase,
 * so the rules for charges unrelated to other charges do not bind it.
 */
function settledByPrepayment(row: FocusRecord): boolean {
  return (
    usageOrPurchase(row) &&
    compareExact(amount(row, "BilledCost"), ZERO) === 0 &&
    compareExact(amount(row, "EffectiveCost"), ZERO) !== 0
  );
}

/** ListCost / ContractedCost of a charge unrelated to others, with no unit price, is billed. */
function costMatchesBilled(cost: string, unitPrice: string, source: string): Relation {
  return {
    id: `${cost}.unrelated-charge`,
    source,
    level: "MUST",
    requires: [cost, "BilledCost"],
    check(row) {
      if (!isNull(row, unitPrice) || category(row) === "Tax" || settledByPrepayment(row)) return;
      if (!same(row, cost, "BilledCost")) {
        return `${cost} ${cell(row, cost)} differs from BilledCost ${cell(row, "BilledCost")} on a ${category(row)} charge unrelated to other charges, with no ${unitPrice}`;
      }
    },
  };
}

/** unit price × PricingQuantity = cost, unless a correction. */
function priceTimesQuantity(cost: string, unitPrice: string, source: string): Relation {
  return {
    id: `${unitPrice}.times-quantity`,
    source,
    level: "MUST",
    requires: [cost, unitPrice, "PricingQuantity"],
    check(row) {
      if (isNull(row, unitPrice) || isNull(row, "PricingQuantity") || isCorrection(row)) return;
      const product = multiplyExact(amount(row, unitPrice), amount(row, "PricingQuantity"));
      if (compareExact(product, amount(row, cost)) !== 0) {
        return `${unitPrice} × PricingQuantity is not ${cost} ${cell(row, cost)}`;
      }
    },
  };
}

/** Null for Tax; required for usage and purchases that are not corrections. */
function pricedByCategory(column: string, source: string): Relation {
  return {
    id: `${column}.by-category`,
    source,
    level: "MUST",
    requires: [column],
    check(row) {
      if (category(row) === "Tax" && !isNull(row, column)) return `${column} is set on a Tax row`;
      if (usageOrPurchase(row) && !isCorrection(row) && isNull(row, column)) {
        return `${column} is null on a ${category(row)} row`;
      }
    },
  };
}

/** `column` is null exactly when `key` is. */
function nullWith(column: string, key: string, source: string): Relation {
  return {
    id: `${column}.null-with-${key}`,
    source,
    level: "MUST",
    requires: [column],
    check(row) {
      if (isNull(row, column) !== isNull(row, key)) {
        return isNull(row, key) ? `${column} is set but ${key} is null` : `${column} is null`;
      }
    },
  };
}

/** `column` is null when `key` is (and may be either otherwise). */
function nullWhen(column: string, key: string, source: string): Relation {
  return {
    id: `${column}.null-when-${key}-null`,
    source,
    level: "MUST",
    requires: [column],
    check(row) {
      if (isNull(row, key) && !isNull(row, column)) return `${column} is set but ${key} is null`;
    },
  };
}

/** A status is required on usage rows that name the reservation or commitment. */
function statusOnUsage(column: string, key: string, source: string): Relation {
  return {
    id: `${column}.on-usage`,
    source,
    level: "MUST",
    requires: [column],
    check(row) {
      if (!isNull(row, key) && category(row) === "Usage" && isNull(row, column)) {
        return `${column} is null on a Usage row with ${key}`;
      }
    },
  };
}

/** Inclusive start before exclusive end: the period is not empty. */
function periodOrder(start: string, end: string, source: string): Relation {
  return {
    id: `${start}.before-${end}`,
    source,
    level: "MUST",
    requires: [start, end],
    check(row) {
      const [from, to] = [cell(row, start), cell(row, end)];
      if (from !== null && to !== null && !(from < to)) return `${start} ${from} ≥ ${end} ${to}`;
    },
  };
}

export const RELATIONS: readonly Relation[] = [
  // Costs per charge category.
  {
    id: "EffectiveCost.unrelated-charge",
    source: "effectivecost.md",
    level: "MUST",
    requires: ["EffectiveCost", "BilledCost"],
    check(row) {
      if (usageOrPurchase(row) || category(row) === "Tax") return;
      if (!same(row, "EffectiveCost", "BilledCost")) {
        return `EffectiveCost ${cell(row, "EffectiveCost")} differs from BilledCost ${cell(row, "BilledCost")} on a ${category(row)} charge`;
      }
    },
  },
  costMatchesBilled("ListCost", "ListUnitPrice", "listcost.md"),
  costMatchesBilled("ContractedCost", "ContractedUnitPrice", "contractedcost.md"),
  priceTimesQuantity("ListCost", "ListUnitPrice", "listunitprice.md"),
  priceTimesQuantity("ContractedCost", "ContractedUnitPrice", "contractedunitprice.md"),
  // What usage and purchases must carry, and Tax must not.
  pricedByCategory("PricingQuantity", "pricingquantity.md"),
  pricedByCategory("ListUnitPrice", "listunitprice.md"),
  pricedByCategory("ContractedUnitPrice", "contractedunitprice.md"),
  pricedByCategory("PricingCategory", "pricingcategory.md"),
  pricedByCategory("SkuId", "skuid.md"),
  pricedByCategory("SkuPriceId", "skupriceid.md"),
  pricedByCategory("PricingCurrencyListUnitPrice", "pricingcurrencylistunitprice.md"),
  pricedByCategory("PricingCurrencyContractedUnitPrice", "pricingcurrencycontractedunitprice.md"),
  {
    id: "ConsumedQuantity.by-category",
    source: "consumedquantity.md",
    level: "MUST",
    requires: ["ConsumedQuantity"],
    check(row) {
      const measured =
        category(row) === "Usage" && cell(row, "CommitmentDiscountStatus") !== "Unused";
      if (!measured && !isNull(row, "ConsumedQuantity")) {
        return "ConsumedQuantity is set on a row that is not measured usage";
      }
      if (measured && !isCorrection(row) && isNull(row, "ConsumedQuantity")) {
        return "ConsumedQuantity is null on a Usage row";
      }
    },
  },
  {
    id: "CommitmentDiscountQuantity.by-category",
    source: "commitmentdiscountquantity.md",
    level: "MUST",
    requires: ["CommitmentDiscountQuantity"],
    check(row) {
      const committed = usageOrPurchase(row) && !isNull(row, "CommitmentDiscountId");
      const quantity = isNull(row, "CommitmentDiscountQuantity");
      if (!committed && !quantity) return "CommitmentDiscountQuantity is set without a commitment";
      if (committed && !isCorrection(row) && quantity) return "CommitmentDiscountQuantity is null";
    },
  },
  // Units and names that follow another column.
  nullWith("PricingUnit", "PricingQuantity", "pricingunit.md"),
  nullWith("ConsumedUnit", "ConsumedQuantity", "consumedunit.md"),
  nullWith("CommitmentDiscountUnit", "CommitmentDiscountQuantity", "commitmentdiscountunit.md"),
  nullWith("CommitmentDiscountCategory", "CommitmentDiscountId", "commitmentdiscountcategory.md"),
  nullWith("CommitmentDiscountType", "CommitmentDiscountId", "commitmentdiscounttype.md"),
  nullWith("BillingAccountType", "BillingAccountId", "billingaccounttype.md"),
  nullWith("RegionName", "RegionId", "regionname.md"),
  nullWith("ResourceType", "ResourceId", "resourcetype.md"),
  nullWith("SubAccountName", "SubAccountId", "subaccountname.md"),
  nullWith("SubAccountType", "SubAccountId", "subaccounttype.md"),
  nullWhen("CommitmentDiscountName", "CommitmentDiscountId", "commitmentdiscountname.md"),
  nullWhen("CommitmentDiscountStatus", "CommitmentDiscountId", "commitmentdiscountstatus.md"),
  nullWhen("CapacityReservationStatus", "CapacityReservationId", "capacityreservationstatus.md"),
  nullWhen("ResourceName", "ResourceId", "resourcename.md"),
  nullWhen("SkuMeter", "SkuId", "skumeter.md"),
  nullWhen("SkuPriceDetails", "SkuPriceId", "skupricedetails.md"),
  statusOnUsage("CommitmentDiscountStatus", "CommitmentDiscountId", "commitmentdiscountstatus.md"),
  statusOnUsage(
    "CapacityReservationStatus",
    "CapacityReservationId",
    "capacityreservationstatus.md",
  ),
  // The charge and its periods.
  {
    id: "ChargeFrequency.purchase",
    source: "chargefrequency.md",
    level: "MUST",
    requires: ["ChargeFrequency"],
    check(row) {
      if (category(row) === "Purchase" && cell(row, "ChargeFrequency") === "Usage-Based") {
        return "a Purchase is Usage-Based";
      }
    },
  },
  periodOrder("ChargePeriodStart", "ChargePeriodEnd", "chargeperiodstart.md"),
  periodOrder("BillingPeriodStart", "BillingPeriodEnd", "billingperiodstart.md"),
  {
    // The billing period is the window of the charges it bills: its inclusive start and
    // exclusive end bound the start of each of them.
    id: "ChargePeriodStart.in-billing-period",
    source: "billingperiodstart.md",
    level: "MUST",
    requires: ["ChargePeriodStart", "BillingPeriodStart", "BillingPeriodEnd"],
    check(row) {
      const start = cell(row, "ChargePeriodStart");
      const [from, to] = [cell(row, "BillingPeriodStart"), cell(row, "BillingPeriodEnd")];
      if (start === null || from === null || to === null) return;
      if (start < from || start >= to)
        return `ChargePeriodStart ${start} is outside [${from}, ${to})`;
    },
  },
  {
    id: "ServiceSubcategory.parent",
    source: "servicesubcategory.md",
    level: "MUST",
    requires: ["ServiceSubcategory", "ServiceCategory"],
    check(row) {
      const sub = cell(row, "ServiceSubcategory");
      const parent = cell(row, "ServiceCategory");
      if (sub !== null && parent !== null && !parentOf(sub, parent)) {
        return `ServiceSubcategory ${sub} is not one of ${parent}`;
      }
    },
  },
  {
    id: "ChargeDescription.not-null",
    source: "chargedescription.md",
    level: "SHOULD",
    requires: ["ChargeDescription"],
    check: (row) => (isNull(row, "ChargeDescription") ? "ChargeDescription is null" : undefined),
  },
];

function parentOf(subcategory: string, category: string): boolean {
  return Object.hasOwn(SERVICE_SUBCATEGORIES, category)
    ? SERVICE_SUBCATEGORIES[category]!.includes(subcategory)
    : false;
}
