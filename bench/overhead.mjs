// Part 1 — per-call overhead. Every client gets the same stubbed transport: a fetch that returns
// a fresh, ready Response with the same canned ByteSpike page (bodies are single-use), so the
// only difference measured is what each client does around fetch: build the URL and request,
// read and parse the JSON body, hand back the payload.
import axios from "axios";
import buildFullPath from "axios/unsafe/core/buildFullPath.js";
import buildURL from "axios/unsafe/helpers/buildURL.js";
import { Bench } from "tinybench";
import { fmt, importBuilt, importFrom, median, rotation, row } from "./lib/common.mjs";
import { pageJson } from "./lib/data.mjs";

const BASE_URL = "https://llm.bytespike.ai";
const PATH = "/api/v1/me/billing/transactions";
const KEY = "sk-byts-bench";

function stubFetch(body) {
  const init = { status: 200, headers: { "content-type": "application/json" } };
  return async () => new Response(body, init);
}

async function variants(rows) {
  const body = pageJson({ rows, endMs: Date.UTC(2026, 4, 1), page: 1, pageSize: rows });
  const fetch = stubFetch(body);
  const check = (payload) => {
    if (payload.items.length !== rows) throw new Error("wrong payload");
  };

  const { createByteSpikeClient } = await importBuilt("bytespike");
  const spendkit = createByteSpikeClient({ apiKey: KEY, baseUrl: BASE_URL, fetch });
  // The same client checking every answer against its spec's response schema.
  let drifts = 0;
  const withDrift = createByteSpikeClient({
    apiKey: KEY,
    baseUrl: BASE_URL,
    fetch,
    onDrift: () => drifts++,
  });

  const { default: createOpenApiFetch } = await importFrom("packages/core", "openapi-fetch");
  const openapiFetch = createOpenApiFetch({
    baseUrl: BASE_URL,
    fetch,
    headers: { Authorization: `Bearer ${KEY}` },
  });

  // axios with a custom adapter that does what its own adapters do on the way: build the URL
  // from baseURL + params, and take the body as text; axios itself then parses the JSON.
  const axiosAdapter = axios.create({
    baseURL: BASE_URL,
    headers: { Authorization: `Bearer ${KEY}` },
    adapter: async (config) => {
      const url = buildURL(buildFullPath(config.baseURL, config.url), config.params);
      const response = await fetch(url, { method: config.method, headers: config.headers });
      return {
        data: await response.text(),
        status: response.status,
        statusText: response.statusText,
        headers: Object.fromEntries(response.headers),
        config,
        request: {},
      };
    },
  });
  // axios's own fetch adapter, given the same stub: what `adapter: "fetch"` users get.
  const axiosFetch = axios.create({
    baseURL: BASE_URL,
    headers: { Authorization: `Bearer ${KEY}` },
    adapter: "fetch",
    env: { fetch },
  });

  const query = { page: 1, page_size: rows };
  return [
    {
      name: "spendkit bytespike.listTransactions",
      fn: async () => check(await spendkit.listTransactions(query)),
    },
    {
      name: "openapi-fetch GET",
      fn: async () => {
        const { data, error } = await openapiFetch.GET(PATH, { params: { query } });
        if (error) throw new Error("request failed");
        check(data);
      },
    },
    {
      name: "hand-written fetch",
      fn: async () => {
        const response = await fetch(`${BASE_URL}${PATH}?page=1&page_size=${rows}`, {
          headers: { Authorization: `Bearer ${KEY}` },
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        check(await response.json());
      },
    },
    {
      name: "axios (custom adapter)",
      fn: async () => check((await axiosAdapter.get(PATH, { params: query })).data),
    },
    {
      name: "axios (fetch adapter)",
      fn: async () => check((await axiosFetch.get(PATH, { params: query })).data),
    },
    {
      // What spendkit does on every call, done by hand: a per-call timeout signal.
      name: "openapi-fetch GET with a timeout signal",
      fn: async () => {
        const { data, error } = await openapiFetch.GET(PATH, {
          params: { query },
          signal: AbortSignal.timeout(60_000),
        });
        if (error) throw new Error("request failed");
        check(data);
      },
    },
    {
      name: "spendkit bytespike.listTransactions with onDrift",
      fn: async () => {
        check(await withDrift.listTransactions(query));
        if (drifts) throw new Error("the bench page drifts from the spec");
      },
    },
  ];
}

/**
 * The clock of the samples: this process's CPU time (user + system, all threads, µs
 * resolution), not the wall clock. A stubbed call never waits for I/O, so on an idle machine the
 * two agree; on this shared one the wall clock also counts the time other processes held the CPU.
 */
function cpuNow() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs every variant for `time` ms of CPU, `rounds` times, rotating the order each round; returns per
 * variant the median ops/s, and per round each variant's ratio to openapi-fetch of that round
 * (the median of those ratios is what the table reports: drift between rounds cancels out).
 */
async function measure(tasks, { rounds, time }) {
  const opsPerRound = tasks.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({
      time,
      warmupTime: Math.min(100, time / 2),
      iterations: 64,
      now: cpuNow,
    });
    const order = rotation(tasks.length, r);
    for (const i of order) bench.add(tasks[i].name, tasks[i].fn);
    await bench.run();
    for (const [j, i] of order.entries()) {
      const result = bench.tasks[j].result;
      if (result.state !== "completed") throw result.error ?? new Error(result.state);
      // Mean CPU time per call (total / runs): it includes the garbage collection each client's
      // allocations cause, and, measured in CPU time, not the time other processes held the CPU.
      opsPerRound[i].push(1000 / result.period);
    }
  }
  return opsPerRound;
}

export async function run({ quick = false } = {}) {
  const rows = [];
  const rounds = quick ? 3 : 7;
  const time = quick ? 150 : 300;
  for (const pageRows of [1, 200]) {
    const tasks = await variants(pageRows);
    const ops = await measure(tasks, { rounds, time });
    const payload = pageRows === 1 ? "1-row page" : "200-row page";
    const compare = (i, b, name, gated) =>
      row({
        part: 1,
        name: `call, ${payload}: ${name}`,
        measured: `${fmt(median(ops[i]))} ops/s`,
        baseline: `${fmt(median(ops[b]))} ops/s`,
        ratio: median(ops[i].map((v, r) => v / ops[b][r])),
        target: gated ? "≥ 0.85×" : undefined,
        min: gated ? 0.85 : undefined,
      });
    rows.push(
      compare(0, 1, "spendkit vs openapi-fetch", true),
      compare(2, 1, "hand-written fetch vs openapi-fetch"),
      compare(3, 1, "axios (adapter) vs openapi-fetch"),
      compare(4, 1, "axios (fetch adapter) vs openapi-fetch"),
      compare(5, 1, "openapi-fetch + timeout signal vs openapi-fetch"),
      compare(0, 5, "spendkit vs openapi-fetch + timeout signal"),
      compare(6, 0, "spendkit with onDrift vs without (the cost of the check)"),
    );
  }
  return rows;
}
