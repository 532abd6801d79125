/**
 * What lies outside the subset the analysis follows completely, found by looking at the syntax
 * (the interpreter adds what only values reveal: computed members of service objects, calls of
 * unresolvable callees, services handed to built-ins…). Each finding makes the program
 * incomplete: the runtime then checks every sink against every label the run has read.
 */
import ts from 'typescript';
import type { Resolver } from './resolve.ts';

export interface SubsetFinding {
  node: ts.Node;
  message: string;
}

/** Lib globals whose mere mention leaves the subset (code from strings, reflection, proxies). */
const FORBIDDEN_GLOBALS: Record<string, string> = {
  eval: '`eval` runs code the analysis cannot see',
  Function: 'the `Function` constructor runs code the analysis cannot see',
  globalThis: '`globalThis` looks names up dynamically',
  Proxy: '`Proxy` intercepts property reads and calls invisibly',
  Reflect: '`Reflect` reaches properties and prototypes dynamically',
  Symbol: '`Symbol` keys (toPrimitive, iterator…) make the runtime call code implicitly',
  WeakRef: '`WeakRef` is outside the analysed subset',
  FinalizationRegistry: '`FinalizationRegistry` calls code at times the analysis cannot see',
  SharedArrayBuffer: '`SharedArrayBuffer` is outside the analysed subset',
  Atomics: '`Atomics` is outside the analysed subset',
};
// Views of one buffer alias each other (a DataView write shows in a Uint8Array): outside the subset.
for (const name of ['ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
  FORBIDDEN_GLOBALS[name] = `\`${name}\` views share memory with other views the analysis does not track`;
}

const IMPLICIT_METHODS = new Set(['toString', 'valueOf', 'toJSON', 'then', 'toLocaleString']);
const PROTO_NAMES = new Set(['__proto__', 'constructor', 'prototype', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

export function scanSubset(body: ts.Block, resolver: Resolver, checker: ts.TypeChecker): SubsetFinding[] {
  const out: SubsetFinding[] = [];
  const flag = (node: ts.Node, message: string) => out.push({ node, message });
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.Identifier: {
        const id = node as ts.Identifier;
        if (id.text.startsWith('__flowgate')) flag(id, 'identifiers beginning with `__flowgate` are reserved for the runtime');
        if (id.text === 'arguments' && !isPropertyName(id)) flag(id, '`arguments` reaches a function\'s parameters by position, past the analysis');
        const message = FORBIDDEN_GLOBALS[id.text];
        if (message && !isPropertyName(id)) {
          const kind = resolver.symbolKind(checker.getSymbolAtLocation(id));
          if (kind.kind === 'builtin' || kind.kind === 'none') flag(id, message);
        }
        break;
      }
      case ts.SyntaxKind.PrivateIdentifier:
        break;
      case ts.SyntaxKind.WithStatement:
        flag(node, '`with` makes every name in its body a dynamic lookup');
        break;
      case ts.SyntaxKind.ImportKeyword:
      case ts.SyntaxKind.ImportDeclaration:
      case ts.SyntaxKind.ImportEqualsDeclaration:
      case ts.SyntaxKind.ExportDeclaration:
      case ts.SyntaxKind.ExportAssignment:
        flag(node, 'imports load code the analysis cannot see');
        break;
      case ts.SyntaxKind.GetAccessor:
      case ts.SyntaxKind.SetAccessor:
        flag(node, 'getters and setters run code on a plain property read or write');
        break;
      case ts.SyntaxKind.MetaProperty:
        flag(node, '`new.target` / `import.meta` are outside the analysed subset');
        break;
      case ts.SyntaxKind.PropertyAccessExpression: {
        const name = (node as ts.PropertyAccessExpression).name.text;
        if (PROTO_NAMES.has(name)) flag(node, `\`.${name}\` reaches prototypes or the Function constructor`);
        break;
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const arg = (node as ts.ElementAccessExpression).argumentExpression;
        if (ts.isStringLiteralLike(arg) && PROTO_NAMES.has(arg.text)) flag(node, `\`["${arg.text}"]\` reaches prototypes or the Function constructor`);
        break;
      }
      case ts.SyntaxKind.MethodDeclaration:
      case ts.SyntaxKind.PropertyAssignment:
      case ts.SyntaxKind.PropertyDeclaration: {
        const name = (node as ts.MethodDeclaration).name;
        const text = name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
        if (text && IMPLICIT_METHODS.has(text) && (ts.isMethodDeclaration(node) || isFunctionValued(node))) {
          flag(node, `a \`${text}\` method is called implicitly by the runtime (coercion, JSON, await)`);
        }
        if (name && ts.isComputedPropertyName(name) && ts.isMethodDeclaration(node)) flag(node, 'a method with a computed name');
        break;
      }
      case ts.SyntaxKind.ClassStaticBlockDeclaration:
        flag(node, 'class static blocks are outside the analysed subset');
        break;
      case ts.SyntaxKind.DeleteExpression: {
        const e = (node as ts.DeleteExpression).expression;
        if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
          const t = checker.getTypeAtLocation(e.expression);
          if (t.getSymbol()?.declarations?.some((d) => d.getSourceFile().hasNoDefaultLib)) flag(node, '`delete` on a built-in');
        }
        break;
      }
    }
    // Writes to built-in objects (`Array.prototype.x = …`, `Math.max = …`, `JSON.parse = …`).
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      let target: ts.Expression = node.left;
      while (ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) target = target.expression;
      if (ts.isIdentifier(target) && target !== node.left) {
        const kind = resolver.symbolKind(checker.getSymbolAtLocation(target));
        if (kind.kind === 'builtin') flag(node, `a write to the built-in \`${target.text}\``);
        if (kind.kind === 'service' || kind.kind === 'console') flag(node, `a write to the service object \`${target.text}\``);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return out;
}

function isPropertyName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id)
    || (ts.isMethodDeclaration(p) && p.name === id) || (ts.isPropertyDeclaration(p) && p.name === id)
    || (ts.isPropertySignature(p) && p.name === id) || (ts.isBindingElement(p) && p.propertyName === id);
}

function isFunctionValued(node: ts.Node): boolean {
  const init = (node as ts.PropertyAssignment).initializer;
  return !!init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init) || ts.isIdentifier(init));
}
