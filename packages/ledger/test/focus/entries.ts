/**
 * Ledger entries for the FOCUS conformance tests: the records each adapter books (converted by
 * the adapters' own functions from records shaped like the providers' examples), and every
 * ledger kind for every provider, with typical, zero and opposite-sign amounts, with and without
 * the optional fields.
 */
import { toEntry } from "../../src/adapters/bytespike.js";
import { searchEntry, topupEntry } from "../../src/adapters/wavespeed.js";
import { changeEntries, invoiceEntries } from "../../src/adapters/xai.js";
import type { LedgerEntry, LedgerKind, ProviderName } from "../../src/types.js";

export const TEAM = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const noWarnings = {
  warn(message: string): never {
    throw new Error(`a test record was not booked: ${message}`);
  },
};

/** xAI prepaid changes (debt-side signs) and invoices, as the API's examples write them. */
export const XAI_CHANGES = [
  {
    teamId: TEAM,
    changeOrigin: "PURCHASE",
    topupStatus: "SUCCEEDED",
    amount: { val: "-5000" },
    invoiceId: "1e7d3a90-4b2c-4d8e-9f10-a1b2c3d4e5f6",
    invoiceNumber: "XAI-2026-03-0042",
    createTime: "2026-03-02T10:15:00Z",
  },
  {
    teamId: TEAM,
    changeOrigin: "AUTO_PURCHASE",
    topupStatus: "SUCCEEDED",
    amount: { val: "-2500" },
    invoiceId: "5c4b3a29-1807-4f6e-8d5c-4b3a29180716",
    invoiceNumber: "XAI-2026-03-0097",
    createTime: "2026-03-20T18:42:07Z",
  },
  {
    teamId: TEAM,
    changeOrigin: "SPEND",
    amount: { val: "6200" },
    createTime: "2026-04-01T00:10:00Z",
    spendBpKeyYear: 2026,
    spendBpKeyMonth: 3,
  },
  {
    teamId: TEAM,
    changeOrigin: "REFUND",
    amount: { val: "-200" },
    createTime: "2026-04-03T12:00:00Z",
  },
  {
    teamId: TEAM,
    changeOrigin: "MANUAL",
    amount: { val: "-500" },
    createTime: "2026-04-05T09:30:00Z",
  },
  {
    teamId: TEAM,
    changeOrigin: "MANUAL",
    amount: { val: "125" },
    createTime: "2026-04-06T09:30:00Z",
  },
];

export const XAI_INVOICES = [
  {
    teamId: TEAM,
    invoiceId: "9b2f4c1a-5e6d-4f70-8a91-b2c3d4e5f601",
    invoiceNumber: "XAI-2026-04-0187",
    createTime: "2026-05-01T00:05:12Z",
    invoiceStatus: "PAID",
    subtotal: "6750",
    tax: "0",
    total: "6750",
    monthly: { billingCycle: { year: 2026, month: 4 } },
  },
  {
    teamId: TEAM,
    invoiceId: "0c1d2e3f-0000-4000-8000-000000000000",
    invoiceNumber: "XAI-2026-05-0201",
    createTime: "2026-06-01T00:04:00Z",
    invoiceStatus: "PENDING",
    total: "0",
    monthly: { billingCycle: { year: 2026, month: 5 } },
  },
];

const BYTESPIKE_TRANSACTIONS = [
  {
    id: 901234,
    created_at: "2026-05-21T14:08:11Z",
    kind: "topup",
    amount_usd: 50.0,
    balance_after_usd: 81.4,
    source: { provider: "stripe", receipt_id: "ch_3PYj-mock-49", method: "card_visa_4242" },
    note: null,
  },
  {
    id: 901188,
    created_at: "2026-05-15T08:14:02Z",
    kind: "admin_credit",
    amount_usd: 5.0,
    balance_after_usd: 31.4,
    source: { actor: "ops@bytespike.ai" },
    note: "Goodwill credit — failed Doubao call burst, ticket #312",
  },
  { id: 901100, created_at: "2026-05-10T00:00:00Z", kind: "admin_debit", amount_usd: -3.25 },
  { id: 901050, created_at: "2026-05-01T00:00:00Z", kind: "subscription_renew", amount_usd: -20 },
  { id: 901020, created_at: "2026-04-30T10:00:00Z", kind: "refund", amount_usd: 0.75 },
];

const WAVESPEED_SEARCH = [
  {
    uuid: "d6b45aaa54fb4d12930acc36c9ae639f",
    billing_type: "deduct",
    price: 0.02,
    created_at: "2025-10-01T11:13:30.051Z",
    prediction: {
      uuid: "cb54bb552ff94e1ea6a5c2976fe1c0c1",
      model_uuid: "bytedance/seedream-v3",
      status: "completed",
    },
  },
  { uuid: "e7c5", billing_type: "refund", price: 0.02, created_at: "2025-10-01T11:20:00.000Z" },
  { uuid: "f8d6", billing_type: "deduct", price: 0, created_at: "2025-10-02T00:00:00.000Z" },
];

const WAVESPEED_TOPUP = {
  id: "txn_abc123",
  type: "topup",
  amount: 100.0,
  currency: "USD",
  status: "completed",
  payment_method: "stripe",
  created_at: "2024-01-15T10:30:00.000Z",
};

/** What the adapters book from the records above. */
export function adapterEntries(): LedgerEntry[] {
  const booked = [
    ...changeEntries(XAI_CHANGES as never, noWarnings),
    ...invoiceEntries(XAI_INVOICES as never, noWarnings),
    ...BYTESPIKE_TRANSACTIONS.map((tx) => toEntry(tx as never)),
    ...WAVESPEED_SEARCH.map((record) => searchEntry(record as never)),
    topupEntry(WAVESPEED_TOPUP as never),
  ];
  return booked.filter((entry): entry is LedgerEntry => entry !== undefined);
}

/** The sign of a kind's amount in the customer's view, as the adapters book it. */
const TYPICAL_SIGN: Record<LedgerKind, 1 | -1> = {
  topup: 1,
  usage: -1,
  refund: 1,
  credit: 1,
  debit: -1,
  subscription: -1,
  invoice: -1,
};

export const KINDS = Object.keys(TYPICAL_SIGN) as LedgerKind[];
export const PROVIDERS: ProviderName[] = ["bytespike", "wavespeed", "xai"];

/** The record an xAI entry of a kind comes with (what its FOCUS metadata is read from). */
function xaiRecord(kind: LedgerKind, index: number): Record<string, unknown> {
  const base = { teamId: TEAM };
  if (kind === "invoice") {
    return {
      ...base,
      invoiceId: `inv-${index}`,
      monthly: { billingCycle: { year: 2026, month: 2 } },
    };
  }
  if (kind === "topup") return { ...base, invoiceId: `prepaid-${index}` };
  if (kind === "usage") return { ...base, spendBpKeyYear: 2026, spendBpKeyMonth: 1 };
  return base;
}

/** Every kind of every provider: typical, zero and opposite-sign amounts, with and without extras. */
export function everyKindEntries(): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  for (const provider of PROVIDERS) {
    for (const kind of KINDS) {
      for (const [variant, amount] of [
        ["typical", TYPICAL_SIGN[kind] === 1 ? "12.345678" : "-12.345678"],
        ["zero", "0.00"],
        ["opposite", TYPICAL_SIGN[kind] === 1 ? "-0.50" : "0.50"],
      ] as const) {
        for (const extras of [false, true]) {
          const index = entries.length;
          const entry: LedgerEntry = {
            provider,
            id: `${kind}-${variant}-${extras ? "full" : "bare"}`,
            time: `2026-02-${String((index % 27) + 1).padStart(2, "0")}T23:59:59.999Z`,
            kind,
            amount,
            currency: "USD",
            raw: provider === "xai" ? xaiRecord(kind, index) : {},
          };
          if (extras) {
            entry.description = `${kind} (${variant})`;
            entry.model = "grok-4";
            entry.reference = `ref-${index}`;
            entry.balanceAfter = "10.00";
            // Attribution: a project, and the id of the key that spent it.
            entry.project = `proj_${index}`;
            entry.apiKey = `key_${index}`;
          }
          entries.push(entry);
        }
      }
    }
  }
  return entries;
}
