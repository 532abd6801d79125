/**
 * Resolution through the type checker: which API operation, program function or built-in a call
 * or a name refers to. A declaration inside the catalog's declarations maps back to
 * `service.operation` by walking up to its `declare const <service>` (directly, or through the
 * interface / type alias the constant is declared with).
 */
import ts from 'typescript';
import type { Catalog } from '../catalog/types.ts';

export type Resolved =
  | { kind: 'operation'; op: string }
  | { kind: 'service'; service: string }
  | { kind: 'function'; node: ts.Node }
  | { kind: 'builtin'; name: string }
  | { kind: 'console' }
  | { kind: 'user' }
  | { kind: 'none' };

export class Resolver {
  /** Interface / type alias name → service, for declarations written as `declare const s: SType`. */
  private readonly typeToService = new Map<string, string>();
  private readonly services: Set<string>;

  private readonly checker: ts.TypeChecker;
  private readonly declarations: ts.SourceFile;
  private readonly file: ts.SourceFile;

  constructor(checker: ts.TypeChecker, declarations: ts.SourceFile, file: ts.SourceFile, catalog: Catalog) {
    this.checker = checker;
    this.declarations = declarations;
    this.file = file;
    this.services = new Set(catalog.services.map((s) => s.name));
    for (const st of declarations.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.type && ts.isTypeReferenceNode(d.type) && ts.isIdentifier(d.type.typeName)) {
          this.typeToService.set(d.type.typeName.text, d.name.text);
        }
      }
    }
  }

  isService(name: string): boolean {
    return this.services.has(name);
  }

  /** The operation a declaration in the catalog's declarations stands for. */
  operationOf(decl: ts.Node | undefined): string | undefined {
    if (!decl || decl.getSourceFile() !== this.declarations) return undefined;
    if (!(ts.isMethodSignature(decl) || ts.isPropertySignature(decl) || ts.isMethodDeclaration(decl) || ts.isPropertyDeclaration(decl))) return undefined;
    if (!decl.name || !(ts.isIdentifier(decl.name) || ts.isStringLiteral(decl.name))) return undefined;
    const name = decl.name.text;
    for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && this.services.has(n.name.text)) return `${n.name.text}.${name}`;
      if ((ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n)) && this.typeToService.has(n.name.text)) {
        return `${this.typeToService.get(n.name.text)}.${name}`;
      }
      if (ts.isSourceFile(n)) break;
    }
    return undefined;
  }

  /** What the symbol of an identifier refers to. */
  symbolKind(symbol: ts.Symbol | undefined): Resolved {
    if (!symbol) return { kind: 'none' };
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!decl) return { kind: 'none' };
    const sf = decl.getSourceFile();
    if (sf === this.file) return { kind: 'user' };
    if (sf === this.declarations) {
      if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
        if (this.services.has(decl.name.text)) return { kind: 'service', service: decl.name.text };
        if (decl.name.text === 'console') return { kind: 'console' };
        if (decl.name.text === 'params') return { kind: 'builtin', name: 'params' };
      }
      const op = this.operationOf(decl);
      if (op) return { kind: 'operation', op };
      return { kind: 'none' };
    }
    if (sf.hasNoDefaultLib || sf.isDeclarationFile) return { kind: 'builtin', name: symbol.name };
    return { kind: 'none' };
  }

  /** The built-in a function-valued expression names (`[].some` → `Array.some`), if any. */
  builtinFunction(e: ts.Expression): string | undefined {
    const name = ts.isPropertyAccessExpression(e) ? e.name : ts.isIdentifier(e) ? e : undefined;
    const symbol = name && this.checker.getSymbolAtLocation(name);
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!decl || !ts.isFunctionLike(decl)) return undefined;
    const sf = decl.getSourceFile();
    if (sf === this.file || sf === this.declarations || !(sf.hasNoDefaultLib || sf.isDeclarationFile)) return undefined;
    return builtinName(decl);
  }

  /** What a call's resolved signature points at. */
  callTarget(call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): Resolved {
    let sig: ts.Signature | undefined;
    try {
      sig = this.checker.getResolvedSignature(call);
    } catch {
      return { kind: 'none' };
    }
    const decl = sig?.declaration;
    if (!decl || ts.isJSDocSignature(decl)) return { kind: 'none' };
    const sf = decl.getSourceFile();
    if (sf === this.declarations) {
      const op = this.operationOf(decl);
      if (op) return { kind: 'operation', op };
      // e.g. a call signature inside an operation's property type
      const owner = decl.parent && this.operationOf(decl.parent.parent);
      return owner ? { kind: 'operation', op: owner } : { kind: 'console' };
    }
    if (sf === this.file) {
      if (isFunctionWithBody(decl)) return { kind: 'function', node: decl };
      return { kind: 'user' };
    }
    return { kind: 'builtin', name: builtinName(decl) };
  }
}

export function isFunctionWithBody(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)
    || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) && !!n.body;
}

function builtinName(decl: ts.Node): string {
  const name = (decl as { name?: ts.Node }).name;
  const own = name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : '';
  let owner = '';
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (ts.isInterfaceDeclaration(n) || ts.isClassDeclaration(n) || ts.isModuleDeclaration(n)) {
      owner = n.name?.text ?? '';
      break;
    }
    if (ts.isSourceFile(n)) break;
  }
  return owner ? `${owner}.${own}` : own;
}
