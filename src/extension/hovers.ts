// One hover provider, three kinds of content, in this order:
//   - a migration API or flag under the cursor: its catalogue doc (what it does, what it
//     expects, what it leaves, which kernels), and for HMM_PFN_*/MIGRATE_PFN_* flags how
//     often the workspace sets, tests and clears them;
//   - a page-table value under the cursor (pte, entry, mpfn…): where its value comes from,
//     where it is stored, and the bits that flow into it;
//   - the locks held at the line (the held-lock marking, spelled out).
import * as vscode from 'vscode';
import type { AnalysisCache } from './cache';
import type { Settings } from './settings';
import type { WorkspaceIndex } from './workspaceIndex';
import { BIT_LABEL } from '../core/pte/ledger';
import { heldAt } from './held';
import { modelLine } from './positions';
import { valueAt } from './pteValues';

export class Hovers implements vscode.HoverProvider {
  constructor(private readonly cache: AnalysisCache, private readonly index: WorkspaceIndex, private readonly settings: () => Settings) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!this.settings().enabled.hovers) return undefined;
    const a = this.cache.get(doc);
    if (!a) return undefined;
    const wordRange = doc.getWordRangeAtPosition(pos, /[A-Za-z_]\w*/);
    const word = wordRange ? doc.getText(wordRange) : '';
    const md = new vscode.MarkdownString();
    const api = word ? this.cache.catalogueInUse.migration.api(word) : undefined;
    if (api) {
      md.appendMarkdown(`**${api.name}** — migration ${api.kind} (${api.use}${api.phase ? `, phase ${api.phase}` : ''})\n\n`);
      md.appendMarkdown(`${api.doc.does}\n\n`);
      if (api.doc.expects) md.appendMarkdown(`*Expects:* ${api.doc.expects}\n\n`);
      if (api.doc.leaves) md.appendMarkdown(`*Leaves:* ${api.doc.leaves}\n\n`);
      md.appendMarkdown(`*Kernels:* ${api.doc.versions}\n\n`);
    }
    if (/^(HMM_PFN|MIGRATE_PFN)_\w+$/.test(word) && this.index.ready) {
      const sites = this.index.flagSitesNamed(word);
      const n = (op: string): number => sites.filter((s) => s.op === op).length;
      md.appendMarkdown(`**${word}** in the workspace: set at ${n('set')}, tested at ${n('test')}, cleared at ${n('clear')} sites.\n\n`);
    }
    const v = word ? valueAt(a, modelLine(pos), word) : undefined;
    if (v) {
      md.appendMarkdown(`**${v.value.name}** — page-table value in \`${v.fn}()\`\n\n`);
      for (const d of v.value.defs) md.appendMarkdown(`- from line ${d.line}: \`${d.expr}\`\n`);
      for (const s of v.value.stores) md.appendMarkdown(`- stored at line ${s.line}: \`${s.expr}\`\n`);
      for (const f of v.flows) md.appendMarkdown(`- ${BIT_LABEL[f.bit]} ${f.direction}: line ${f.from.line} \`${f.from.expr}\` → line ${f.to.line}\n`);
      md.appendMarkdown('\n');
    }
    const held = this.settings().enabled.heldLines ? heldAt(a, modelLine(pos)) : [];
    if (held.length) md.appendMarkdown(`Locks held here: ${held.map((h) => `\`${h.lock}\` (${h.kind}, lines ${h.from}–${h.to})`).join(', ')}`);
    return md.value ? new vscode.Hover(md, wordRange) : undefined;
  }
}
