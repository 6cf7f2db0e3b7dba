// The one place where the model's positions (1-based lines and columns) become the
// editor's (0-based), and back. Every provider goes through here.
import * as vscode from 'vscode';

/** A model line (1-based) and column (1-based, default 1) as an editor position. */
export function toPosition(line: number, column = 1): vscode.Position {
  return new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
}

/** A model range; with no end, the rest of the start line. */
export function toRange(doc: vscode.TextDocument | undefined, line: number, column = 1, endLine?: number, endColumn?: number): vscode.Range {
  const start = toPosition(line, column);
  if (endLine !== undefined && endColumn !== undefined) return new vscode.Range(start, toPosition(endLine, endColumn));
  const end = doc && line - 1 < doc.lineCount ? doc.lineAt(line - 1).range.end : start;
  return new vscode.Range(start, end.isBefore(start) ? start : end);
}

/** The whole of a model line. */
export function lineRange(doc: vscode.TextDocument, line: number): vscode.Range {
  return doc.lineAt(Math.min(Math.max(0, line - 1), doc.lineCount - 1)).range;
}

/** An editor position as a model line (1-based). */
export function modelLine(p: vscode.Position): number { return p.line + 1; }

/**
 * The callee name of a call as the model writes it (`pte_unmap_unlock(ptep - 1, ptl)`,
 * `ptep = pte_offset_map_lock(…)`), found on its line: the range a highlight covers.
 */
export function callRange(doc: vscode.TextDocument, line: number, call: string): vscode.Range | undefined {
  if (line < 1 || line > doc.lineCount) return undefined;
  const m = /([A-Za-z_]\w*)\s*\(/.exec(call.replace(/^[^=(]*=\s*/, ''));
  const name = m?.[1];
  const text = doc.lineAt(line - 1).text;
  if (!name) return undefined;
  const re = new RegExp(`\\b${name}\\b`);
  const hit = re.exec(text);
  if (!hit) return undefined;
  return new vscode.Range(line - 1, hit.index, line - 1, hit.index + name.length);
}

/** The C identifier under the position, or '' (never the whole document, as getText(undefined) would give). */
export function wordAt(doc: vscode.TextDocument, pos: vscode.Position): string {
  const r = wordRangeAt(doc, pos);
  return r ? doc.getText(r) : '';
}

/** The range of the C identifier under the position. */
export function wordRangeAt(doc: vscode.TextDocument, pos: vscode.Position): vscode.Range | undefined {
  return doc.getWordRangeAtPosition(pos, /[A-Za-z_]\w*/);
}
