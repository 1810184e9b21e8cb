// What generated code takes from @spendkit/core, read from core's own source with the TypeScript
// compiler API, so that core stays the one place these are written:
//   - the error classes: every class core exports that extends SpendkitError; each provider
//     package re-exports them all, so a class added to core reaches every package on the next
//     `pnpm generate`;
//   - the money units: the ones `OperationSpec.money` accepts, the set `x-spendkit-money` may use.
// Reading the source rather than a list kept beside it means there is no second list to forget.
import { join, relative, resolve } from "node:path";
import ts from "typescript";

export interface CoreApi {
  /** Names of the exported error classes, sorted. */
  errorClasses: string[];
  /** The units of `x-spendkit-money` the runtime's tables accept. */
  moneyUnits: string[];
}

const ROOT_ERROR = "SpendkitError";

/** Reads core's public entry, `<coreDir>/src/index.ts`, and every module it exports from. */
export function readCoreApi(coreDir: string): CoreApi {
  const entry = join(coreDir, "src/index.ts");
  // No lib and no @types: only core's own declarations are needed, and this keeps it fast.
  const program = ts.createProgram([entry], {
    noLib: true,
    types: [],
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`cannot read @spendkit/core's entry ${entry}`);
  const exports = new Map(
    checker.getExportsOfModule(module).map((symbol) => [symbol.name, symbol] as const),
  );
  const where = (file: string) => relative(join(coreDir, "../.."), file);
  return {
    errorClasses: errorClasses(program, checker, exports, join(coreDir, "src/"), where),
    moneyUnits: moneyUnits(checker, exports, where(entry)),
  };
}

function errorClasses(
  program: ts.Program,
  checker: ts.TypeChecker,
  exports: Map<string, ts.Symbol>,
  srcDir: string,
  where: (file: string) => string,
): string[] {
  const rootSymbol = exports.get(ROOT_ERROR);
  if (!rootSymbol) throw new Error(`@spendkit/core does not export ${ROOT_ERROR}`);
  const root = resolveAlias(checker, rootSymbol);
  const isError = (symbol: ts.Symbol) => {
    for (let c: ts.Symbol | undefined = symbol; c; c = baseClass(checker, c)) {
      if (c === root) return true;
    }
    return false;
  };
  const exported = [...exports.values()]
    .filter((symbol) => !isTypeOnlyExport(symbol))
    .filter((symbol) => {
      const target = resolveAlias(checker, symbol);
      return (target.flags & ts.SymbolFlags.Class) !== 0 && isError(target);
    })
    .map((symbol) => symbol.name)
    .sort();

  // An error class a core module exports but the entry does not would reach no user: say so
  // rather than leave it out of every provider package.
  const missing: string[] = [];
  for (const file of program.getSourceFiles()) {
    if (!resolve(file.fileName).startsWith(srcDir) || file.isDeclarationFile) continue;
    for (const statement of file.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name) continue;
      const exportedHere = ts
        .getModifiers(statement)
        ?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      const symbol = checker.getSymbolAtLocation(statement.name);
      if (exportedHere && symbol && isError(symbol) && !exported.includes(symbol.name)) {
        missing.push(`${symbol.name} (${where(file.fileName)})`);
      }
    }
  }
  if (missing.length) {
    throw new Error(
      `@spendkit/core's entry does not export these error classes, so no provider package could re-export them: ${missing.join(", ")}`,
    );
  }
  return exported;
}

/** The string literals of `OperationSpec.money`'s value type. */
function moneyUnits(checker: ts.TypeChecker, exports: Map<string, ts.Symbol>, entry: string) {
  const fail = (why: string) =>
    new Error(`cannot read the money units from @spendkit/core (${entry}): ${why}`);
  const spec = exports.get("OperationSpec");
  if (!spec) throw fail("it exports no OperationSpec");
  const money = checker.getDeclaredTypeOfSymbol(resolveAlias(checker, spec)).getProperty("money");
  const declaration = money?.valueDeclaration ?? money?.declarations?.[0];
  if (!money || !declaration) throw fail("OperationSpec has no `money` property");
  const table = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(money, declaration));
  const unit = checker.getIndexInfosOfType(table)[0]?.type;
  const literals = unit?.isUnion() ? unit.types : unit ? [unit] : [];
  const units = literals.filter((t) => t.isStringLiteral()).map((t) => t.value);
  if (units.length === 0 || units.length !== literals.length)
    throw fail("`money` must map paths to a union of string literals");
  return units;
}

function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** `export { type X }` / `export type { X }`: not a value another module can re-export. */
function isTypeOnlyExport(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some(
    (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly),
  );
}

/** The class a class declaration extends, when it names one. */
function baseClass(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol | undefined {
  const declaration = symbol.declarations?.find(ts.isClassDeclaration);
  const heritage = declaration?.heritageClauses?.find(
    (h) => h.token === ts.SyntaxKind.ExtendsKeyword,
  );
  const base = heritage?.types[0] && checker.getSymbolAtLocation(heritage.types[0].expression);
  return base && resolveAlias(checker, base);
}
