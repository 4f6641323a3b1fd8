// What every JS/TS template receives for one ranked location, and the edit builders they share.
import ts from 'typescript';
import { eol, indentAt } from '../edits.ts';
import type { Edit, RawCandidate, TemplateName } from '../types.ts';
import { enclosingFunction, functionAtLine, insertionStatement, nodesOnLine, textOf, type FunctionLike } from './ast.ts';
import type { FileTypes } from './checker.ts';

export interface JsContext {
  file: string;
  text: string;
  sf: ts.SourceFile;
  line: number;
  /** Nodes whose first token is on the line, outermost first. */
  nodes: ts.Node[];
  /** The type checker over this file, built on first use. */
  types: () => FileTypes;
}

export type JsTemplate = (ctx: JsContext) => RawCandidate[];

export function makeContext(file: string, text: string, sf: ts.SourceFile, line: number, types: () => FileTypes): JsContext {
  return { file, text, sf, line, nodes: nodesOnLine(sf, line), types };
}

/** Nodes on the line that pass `test`. */
export function onLine<T extends ts.Node>(ctx: JsContext, test: (n: ts.Node) => n is T): T[] {
  return ctx.nodes.filter(test);
}

/** The function the location is in: from a node on the line, or the body spanning the line. */
export function functionAt(ctx: JsContext): FunctionLike | undefined {
  const first = ctx.nodes[0];
  return (first && enclosingFunction(first)) ?? functionAtLine(ctx.sf, ctx.line);
}

/** A proposal made at the context's ranked line; `_at` names the node it is about (for readers). */
export function candidate(ctx: JsContext, template: TemplateName, description: string, edits: Edit[], _at?: ts.Node): RawCandidate {
  return { template, file: ctx.file, line: ctx.line, description, edits };
}

/** Replace a node's text. */
export function replaceNode(ctx: JsContext, node: ts.Node, text: string): Edit {
  return { start: node.getStart(ctx.sf), end: node.end, text };
}

/**
 * Insert `statement` on its own line before the statement that holds `node`, at that statement's
 * indentation. Undefined when `node` is not inside a block (an arrow's expression body).
 */
export function insertBeforeStatement(ctx: JsContext, node: ts.Node, statement: string): Edit | undefined {
  const stmt = insertionStatement(node);
  if (!stmt) return undefined;
  const start = stmt.getStart(ctx.sf);
  const lineStart = ctx.text.lastIndexOf('\n', start - 1) + 1;
  const indent = indentAt(ctx.text, start);
  // The statement is first on its line: insert a whole line. Otherwise (`if (x) { a.b; }` on one
  // line) insert inline, which keeps the diff to that one line.
  if (ctx.text.slice(lineStart, start).trim() === '') {
    return { start: lineStart, end: lineStart, text: `${indent}${statement}${eol(ctx.text)}` };
  }
  return { start, end: start, text: `${statement} ` };
}

/** Insert `statement` on a new line after the statement `stmt`, at its indentation. */
export function insertAfterStatement(ctx: JsContext, stmt: ts.Statement, statement: string): Edit {
  const indent = indentAt(ctx.text, stmt.getStart(ctx.sf));
  return { start: stmt.end, end: stmt.end, text: `${eol(ctx.text)}${indent}${statement}` };
}

/** Insert `statement` as the first statement of a function body. */
export function insertAtFunctionStart(ctx: JsContext, fn: FunctionLike, statement: string): Edit | undefined {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return undefined;
  const first = body.statements[0];
  if (first) return insertBeforeStatement(ctx, first, statement);
  return { start: body.getStart(ctx.sf) + 1, end: body.getStart(ctx.sf) + 1, text: ` ${statement} ` };
}

/** `return <value>;`, or `return;` for undefined. */
export function returnOf(value: string): string {
  return value === 'undefined' ? 'return;' : `return ${value};`;
}

/** Text of a node (shorthand). */
export function src(ctx: JsContext, node: ts.Node): string {
  return textOf(ctx.sf, node);
}
