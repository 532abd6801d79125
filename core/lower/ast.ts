/**
 * The syntax tree Flowgate's interpreter evaluates: the program the analysis examined, lowered
 * from TypeScript's own parse (core/sandbox/lower) into plain JSON. No second parser ever reads
 * the program's text: V8 sees only this tree, as data.
 *
 * Every node has `t` (its kind) and `p` (its start offset in the user's source, for lines in
 * errors and traces). The tree holds exactly the subset the interpreter implements; the lowering
 * refuses everything else with a diagnostic naming the construct and its line.
 *
 * Shared by the host (lower/) and the guest (this folder): types only, nothing to run.
 */

export type Node = Stmt | Expr | Pattern;

export type Stmt =
  | { t: 'Var'; p: number; kind: 'let' | 'const' | 'var'; decls: { target: Pattern; init?: Expr }[] }
  | { t: 'FnDecl'; p: number; name: string; fn: Fn }
  | { t: 'ClassDecl'; p: number; name: string; cls: Class }
  | { t: 'Expr'; p: number; e: Expr }
  | { t: 'If'; p: number; test: Expr; then: Stmt; else?: Stmt }
  | { t: 'Block'; p: number; body: Stmt[] }
  | { t: 'Return'; p: number; e?: Expr }
  | { t: 'Throw'; p: number; e: Expr }
  | { t: 'Break'; p: number; label?: string }
  | { t: 'Continue'; p: number; label?: string }
  | { t: 'While'; p: number; test: Expr; body: Stmt }
  | { t: 'DoWhile'; p: number; test: Expr; body: Stmt }
  | { t: 'For'; p: number; init?: Stmt; test?: Expr; update?: Expr; body: Stmt }
  | { t: 'ForOf'; p: number; kind?: 'let' | 'const' | 'var'; target: Pattern; iter: Expr; body: Stmt }
  | { t: 'ForIn'; p: number; kind?: 'let' | 'const' | 'var'; target: Pattern; obj: Expr; body: Stmt }
  | { t: 'Switch'; p: number; disc: Expr; cases: { test?: Expr; body: Stmt[] }[] }
  | { t: 'Try'; p: number; block: Stmt[]; param?: Pattern; handler?: Stmt[]; finalizer?: Stmt[] }
  | { t: 'Labeled'; p: number; label: string; body: Stmt }
  | { t: 'Empty'; p: number };

export type Expr =
  | { t: 'Lit'; p: number; v: string | number | boolean | null }
  | { t: 'BigInt'; p: number; v: string }
  | { t: 'Regex'; p: number; pattern: string; flags: string }
  | { t: 'Tpl'; p: number; quasis: string[]; exprs: Expr[] }
  | { t: 'Ident'; p: number; name: string }
  | { t: 'This'; p: number }
  | { t: 'Arr'; p: number; elems: (Expr | Spread | null)[] }
  | { t: 'Obj'; p: number; props: Prop[] }
  | { t: 'Fn'; p: number; fn: Fn }
  | { t: 'Class'; p: number; cls: Class }
  | { t: 'Unary'; p: number; op: '!' | '-' | '+' | '~' | 'typeof' | 'void' | 'delete'; e: Expr }
  | { t: 'Update'; p: number; op: '++' | '--'; prefix: boolean; target: Expr }
  | { t: 'Bin'; p: number; op: BinOp; l: Expr; r: Expr }
  | { t: 'Logical'; p: number; op: '&&' | '||' | '??'; l: Expr; r: Expr }
  | { t: 'Assign'; p: number; op: AssignOp; target: Pattern | Expr; value: Expr }
  | { t: 'Cond'; p: number; test: Expr; then: Expr; else: Expr }
  | { t: 'Call'; p: number; callee: Expr; args: (Expr | Spread)[]; optional: boolean }
  | { t: 'SuperCall'; p: number; args: (Expr | Spread)[] }
  | { t: 'New'; p: number; callee: Expr; args: (Expr | Spread)[] }
  | { t: 'Member'; p: number; obj: Expr; prop: string; optional: boolean }
  | { t: 'Index'; p: number; obj: Expr; index: Expr; optional: boolean }
  | { t: 'SuperMember'; p: number; prop: string }
  | { t: 'Private'; p: number; obj: Expr; name: string }
  | { t: 'Chain'; p: number; e: Expr }
  | { t: 'Await'; p: number; e: Expr }
  | { t: 'Yield'; p: number; e?: Expr; delegate: boolean }
  | { t: 'Seq'; p: number; es: Expr[] };

export type Spread = { t: 'Spread'; p: number; e: Expr };

export type Prop =
  | { kind: 'init'; key: string | Expr; value: Expr }
  | { kind: 'spread'; e: Expr }
  | { kind: 'method'; key: string | Expr; fn: Fn };

export type BinOp =
  | '+' | '-' | '*' | '/' | '%' | '**'
  | '==' | '!=' | '===' | '!=='
  | '<' | '>' | '<=' | '>='
  | '&' | '|' | '^' | '<<' | '>>' | '>>>'
  | 'in' | 'instanceof';

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '**=' | '&=' | '|=' | '^=' | '<<=' | '>>=' | '>>>=' | '&&=' | '||=' | '??=';

/** Binding targets: declarations, parameters, destructuring assignment. */
export type Pattern =
  | { t: 'Ident'; p: number; name: string }
  | { t: 'ObjPat'; p: number; props: { key: string | Expr; value: Pattern }[]; rest?: Pattern }
  | { t: 'ArrPat'; p: number; elems: (Pattern | null)[]; rest?: Pattern }
  | { t: 'Default'; p: number; target: Pattern; value: Expr }
  /** Only in assignment patterns (`[a.x, b[0]] = …`): a member expression as a target. */
  | { t: 'Member'; p: number; obj: Expr; prop: string; optional: boolean }
  | { t: 'Index'; p: number; obj: Expr; index: Expr; optional: boolean }
  | { t: 'Private'; p: number; obj: Expr; name: string };

export interface Fn {
  p: number;
  name?: string;
  params: Pattern[];
  rest?: Pattern;
  /** A block body, or an arrow's expression body. */
  body: Stmt[] | Expr;
  async: boolean;
  generator: boolean;
  arrow: boolean;
  /** A function expression's own name is bound inside it (`function f() { f() }`). */
  selfName?: boolean;
  /** Constructor parameter properties (`constructor(private x)`) to assign to `this`. */
  paramProps?: string[];
}

export interface Class {
  p: number;
  name?: string;
  superClass?: Expr;
  ctor?: Fn;
  members: ClassMember[];
}

export type ClassMember =
  | { kind: 'method'; key: string | Expr; static: boolean; fn: Fn }
  | { kind: 'field'; key: string | Expr; static: boolean; value?: Expr; private: boolean };

/** The lowered program: the body of an async function. */
export interface Program {
  body: Stmt[];
  /** Offsets where each line of the user's source starts (line n starts at `lines[n - 1]`). */
  lines: number[];
}
