// What the providers return in a real VS Code, on the bundled samples/ workspace.
// Each check names the line it expects, so a broken feature fails here.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HmmLensApi } from '../../../src/extension/extension';
import type { MapNode } from '../../../src/extension/mapView';

const folder = (): string => vscode.workspace.workspaceFolders![0].uri.fsPath;
const uriOf = (f: string): vscode.Uri => vscode.Uri.file(path.join(folder(), f));
const at = (line: number, col: number): vscode.Position => new vscode.Position(line - 1, col - 1);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function open(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uriOf(file));
  return vscode.window.showTextDocument(doc);
}

function col(doc: vscode.TextDocument, line: number, text: string): number {
  const c = doc.lineAt(line - 1).text.indexOf(text);
  assert.ok(c >= 0, `line ${line} has ${text}`);
  return c + 2; // 1-based, one character into the word
}

let api: HmmLensApi;

describe('HMM Lens in VS Code', () => {
  before(async () => {
    await open('collect.c');
    const ext = await until('the extension', () => vscode.extensions.all.find((e) => e.packageJSON?.name === 'hmm-lens'));
    api = (ext.isActive ? ext.exports : await ext.activate()) as HmmLensApi;
    await api.ready;
  });

  it('activates on C files only (onLanguage:c), declares untrusted and virtual workspace support', () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'hmm-lens')!;
    assert.deepEqual(ext.packageJSON.activationEvents, ['onLanguage:c']);
    assert.equal(ext.packageJSON.capabilities.untrustedWorkspaces.supported, true);
    assert.ok(ext.packageJSON.capabilities.virtualWorkspaces);
  });

  it('highlights the releases of an acquire, and the acquire of a release', async () => {
    const ed = await open('collect.c');
    const doc = ed.document;
    const fromAcquire = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', doc.uri, at(30, col(doc, 30, 'pte_offset_map_lock')));
    const lines = (fromAcquire ?? []).map((h) => h.range.start.line + 1).sort((a, b) => a - b);
    assert.deepEqual(lines, [30, 52]);
    assert.equal(fromAcquire.find((h) => h.range.start.line === 29)!.kind, vscode.DocumentHighlightKind.Write);
    const fromRelease = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', doc.uri, at(52, col(doc, 52, 'pte_unmap_unlock')));
    assert.deepEqual(fromRelease.map((h) => h.range.start.line + 1).sort((a, b) => a - b), [30, 52]);
  });

  it('Go to Matching Lock/Unlock jumps to the partner and cycles back', async () => {
    const ed = await open('collect.c');
    ed.selection = new vscode.Selection(at(31, col(ed.document, 31, 'arch_enter_lazy_mmu_mode')), at(31, col(ed.document, 31, 'arch_enter_lazy_mmu_mode')));
    await vscode.commands.executeCommand('hmmLens.goToMatchingLock');
    assert.equal(ed.selection.active.line + 1, 51, 'to arch_leave_lazy_mmu_mode');
    await vscode.commands.executeCommand('hmmLens.goToMatchingLock');
    assert.equal(ed.selection.active.line + 1, 31, 'and back');
  });

  it('lock/ findings are in the Problems panel with the path as related information', async () => {
    const uri = uriOf('collect.c');
    const diags = await until('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'HMM Lens');
      return d.length ? d : undefined;
    });
    const leak = diags.find((d) => d.range.start.line + 1 === 65 && d.code === 'lock/held-at-exit');
    assert.ok(leak, diags.map((d) => `${d.range.start.line + 1} ${String(d.code)}`).join(', '));
    assert.deepEqual(leak.relatedInformation!.map((r) => r.location.range.start.line + 1), [65, 66, 69, 70]);
    assert.match(leak.relatedInformation![3].message, /returns with `ptl` held/);
    assert.equal(diags.filter((d) => d.range.start.line + 1 === 30).length, 0, 'the balanced walk has no finding at its lock');
  });

  it('hovers: the locks held at a line, a migration API\'s doc, a page-table value\'s origin', async () => {
    const c = await open('collect.c');
    const held = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', c.document.uri, at(40, col(c.document, 40, 'pfn_to_page')));
    const text = (h: vscode.Hover[]): string => h.flatMap((x) => x.contents.map((m) => (typeof m === 'string' ? m : (m as vscode.MarkdownString).value))).join('\n');
    assert.match(text(held), /Locks held here: `ptl` \(pte_lock, lines 30–52\), `lazy_mmu`/);
    const g = await open('fakegpu.c');
    const api163 = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', g.document.uri, at(163, col(g.document, 163, 'migrate_vma_setup')));
    assert.match(text(api163), /\*\*migrate_vma_setup\*\*/);
    assert.match(text(api163), /Collects the pages/);
    const v = await open('vgpu_collect.c');
    const value = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', v.document.uri, at(64, col(v.document, 64, 'swp_pte')));
    assert.match(text(value), /\*\*swp_pte\*\* — page-table value/);
    assert.match(text(value), /from line 59: `swp_pte = swp_entry_to_pte\(entry\)`/);
    assert.match(text(value), /stored at line 64/);
  });

  it('CodeLens above migration-related functions: role, phases, callers', async () => {
    const uri = uriOf('fakegpu.c');
    const lenses = await until('code lenses with callers', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return l?.some((x) => /caller/.test(x.command?.title ?? '')) ? l : undefined;
    });
    const title = (line: number): string | undefined => lenses.find((l) => l.range.start.line + 1 === line)?.command?.title;
    assert.equal(title(139), 'migration: caller · setup, pages, finalize · 0 callers');
    assert.equal(title(104), 'migration: helper · copy · 2 callers');
    assert.equal(title(69), 'migration: callback · setup, pages, finalize, restore · 0 callers');
    assert.equal(title(28), undefined, 'fakegpu_page_to_dev is not migration-related');
    const helper = lenses.find((l) => l.range.start.line + 1 === 104)!;
    assert.equal(helper.command!.command, 'editor.action.showReferences');
    assert.deepEqual((helper.command!.arguments![2] as vscode.Location[]).map((l) => l.range.start.line + 1).sort((a, b) => a - b), [169, 193]);
  });

  it('inlay hints at a page-table store list the bits the stored value carries', async () => {
    const ed = await open('vgpu_collect.c');
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', ed.document.uri,
      new vscode.Range(0, 0, ed.document.lineCount, 0));
    const label = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
    const at64 = hints.find((h) => h.position.line + 1 === 64);
    assert.ok(at64, hints.map((h) => `${h.position.line + 1}: ${label(h)}`).join('\n'));
    assert.match(label(at64), /swp_pte carries write, dirty, young, soft-dirty, uffd-wp, anon-exclusive/);
    assert.match(label(hints.find((h) => h.position.line + 1 === 68)!), /mpfn carries write/);
  });

  it('the Migration Map tree lists functions by role and expands to callers and callees', async () => {
    const roots = api.mapView.getChildren();
    const roles = roots.map((r) => (r.kind === 'role' ? r.role : ''));
    assert.deepEqual(roles, ['callback', 'caller', 'helper', 'entry', 'hmm-mirror']);
    const callers = roots.find((r) => r.kind === 'role' && r.role === 'caller')!;
    const fns = api.mapView.getChildren(callers).map((n) => (n.kind === 'function' ? n.fn.name : ''));
    assert.deepEqual(fns, ['fakegpu_evict_vram', 'fakegpu_migrate_finish', 'fakegpu_migrate_to_vram', 'fakegpu_prefetch']);
    const finish = api.mapView.getChildren(callers).find((n) => n.kind === 'function' && n.fn.name === 'fakegpu_migrate_finish')!;
    const [callersGroup, calleesGroup] = api.mapView.getChildren(finish);
    assert.deepEqual(api.mapView.getChildren(callersGroup).map((n: MapNode) => (n.kind === 'call' ? `${n.label}:${n.line}` : '')), ['fakegpu_prefetch:221']);
    assert.ok(api.mapView.getChildren(calleesGroup).some((n) => n.kind === 'call' && n.label === 'migrate_vma_finalize'));
    const item = api.mapView.getTreeItem(finish);
    assert.equal(item.command?.command, 'vscode.open');
  });

  it('call hierarchy: incoming and outgoing calls across the workspace', async () => {
    const g = await open('fakegpu.c');
    const items = await vscode.commands.executeCommand<vscode.CallHierarchyItem[]>('vscode.prepareCallHierarchy', g.document.uri, at(104, col(g.document, 104, 'fakegpu_alloc_and_copy')));
    assert.equal(items[0]?.name, 'fakegpu_alloc_and_copy');
    const incoming = await vscode.commands.executeCommand<vscode.CallHierarchyIncomingCall[]>('vscode.provideIncomingCalls', items[0]);
    assert.deepEqual(incoming.map((c) => c.from.name).sort(), ['fakegpu_migrate_finish', 'fakegpu_migrate_to_vram']);
    const outgoing = await vscode.commands.executeCommand<vscode.CallHierarchyOutgoingCall[]>('vscode.provideOutgoingCalls', items[0]);
    assert.ok(outgoing.some((c) => c.to.name === 'zone_device_page_init'));
    // A function the migration map does not hold: its callers come from the workspace call graph.
    const plain = await vscode.commands.executeCommand<vscode.CallHierarchyItem[]>('vscode.prepareCallHierarchy', g.document.uri, at(35, col(g.document, 35, 'fakegpu_page_to_dev')));
    assert.equal(plain[0]?.name, 'fakegpu_page_to_dev');
    assert.equal(plain[0].selectionRange.start.line + 1, 28, 'the item is the definition');
    const plainIn = await vscode.commands.executeCommand<vscode.CallHierarchyIncomingCall[]>('vscode.provideIncomingCalls', plain[0]);
    assert.deepEqual(plainIn.map((c) => `${c.from.name}:${c.fromRanges.map((r) => r.start.line + 1).join(',')}`).sort(),
      ['fakegpu_migrate_to_ram:71', 'fakegpu_page_free:35']);
    // A catalogued API the workspace calls but does not define.
    const setup = await vscode.commands.executeCommand<vscode.CallHierarchyItem[]>('vscode.prepareCallHierarchy', g.document.uri, at(163, col(g.document, 163, 'migrate_vma_setup')));
    const setupIn = await vscode.commands.executeCommand<vscode.CallHierarchyIncomingCall[]>('vscode.provideIncomingCalls', setup[0]);
    assert.deepEqual(setupIn.map((c) => c.from.name).sort(), ['fakegpu_migrate_to_ram', 'fakegpu_migrate_to_vram', 'fakegpu_prefetch']);
  });

  it('migration APIs from the settings apply without a reload (CodeLens, hover)', async () => {
    const g = await open('fakegpu.c');
    const uri = g.document.uri;
    const lensAt = async (line: number): Promise<string | undefined> =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100))
        ?.find((l) => l.range.start.line + 1 === line)?.command?.title;
    assert.equal(await lensAt(28), undefined, 'fakegpu_page_to_dev() is not migration-related by itself');
    const cfg = vscode.workspace.getConfiguration('hmmLens');
    await cfg.update('migrationApis', [{ name: 'fakegpu_page_to_dev', use: 'helper', does: 'Finds the fake device that owns a device-private page.' }],
      vscode.ConfigurationTarget.Workspace);
    try {
      await until('the API lens', async () => /^migration: api/.test(await lensAt(28) ?? '') || undefined);
      const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at(35, col(g.document, 35, 'fakegpu_page_to_dev')));
      assert.match(hover.flatMap((x) => x.contents.map((m) => (typeof m === 'string' ? m : (m as vscode.MarkdownString).value))).join('\n'),
        /Finds the fake device that owns/);
    } finally {
      await cfg.update('migrationApis', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await until('the lens gone again', async () => (await lensAt(28)) === undefined || undefined);
  });

  it('semantic tokens mark lock operands in code, not the same name in a comment', async () => {
    const ed = await open('collect.c');
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', ed.document.uri);
    const tokens = await until('tokens', async () => vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', ed.document.uri));
    const found: string[] = [];
    for (let i = 0, line = 0, start = 0; i < tokens.data.length; i += 5) {
      line += tokens.data[i];
      start = tokens.data[i] ? tokens.data[i + 1] : start + tokens.data[i + 1];
      found.push(`${line + 1}:${ed.document.getText(new vscode.Range(line, start, line, start + tokens.data[i + 2]))}:${legend.tokenTypes[tokens.data[i + 3]]}`);
    }
    assert.ok(found.includes('72:ptl:hmmLensLock'), found.join(' '));
    assert.match(ed.document.lineAt(69).text, /\/\* ptl still held \*\//);
    assert.ok(!found.some((t) => t.startsWith('70:')), `a name in the comment of line 70 is not a token: ${found.join(' ')}`);
  });

  it('Show PTE Flow lays out the chain of the value under the cursor', async () => {
    const ed = await open('vgpu_collect.c');
    const p = at(64, col(ed.document, 64, 'swp_pte'));
    ed.selection = new vscode.Selection(p, p);
    const lines = await vscode.commands.executeCommand<number[]>('hmmLens.showPteFlow');
    assert.ok(lines.includes(59) && lines.includes(61) && lines.includes(63) && lines.includes(64), lines.join(','));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a severity setting applies without a reload, and "off" hides the rule', async () => {
    const uri = uriOf('collect.c');
    await open('collect.c');
    const cfg = vscode.workspace.getConfiguration('hmmLens');
    await cfg.update('severity', { 'lock/held-at-exit': 'error' }, vscode.ConfigurationTarget.Workspace);
    await until('error severity', () => vscode.languages.getDiagnostics(uri).some((d) => d.code === 'lock/held-at-exit' && d.severity === vscode.DiagnosticSeverity.Error) || undefined);
    await cfg.update('severity', { 'lock/held-at-exit': 'off' }, vscode.ConfigurationTarget.Workspace);
    await until('rule off', () => !vscode.languages.getDiagnostics(uri).some((d) => d.code === 'lock/held-at-exit') || undefined);
    await cfg.update('severity', undefined, vscode.ConfigurationTarget.Workspace);
    await until('rule back', () => vscode.languages.getDiagnostics(uri).some((d) => d.code === 'lock/held-at-exit') || undefined);
  });

  it('an edit re-analyses the document: a deleted unlock becomes a finding, undo removes it', async () => {
    const ed = await open('collect.c');
    const uri = ed.document.uri;
    const line = 52;
    assert.match(ed.document.lineAt(line - 1).text, /pte_unmap_unlock/);
    await ed.edit((b) => b.replace(ed.document.lineAt(line - 1).range, '\t/* unlock deleted */'));
    await until('a finding for the deleted unlock', () => vscode.languages.getDiagnostics(uri)
      .some((d) => d.code === 'lock/held-at-exit' && d.range.start.line + 1 === 30) || undefined);
    await vscode.commands.executeCommand('undo');
    await until('the finding gone after undo', () => !vscode.languages.getDiagnostics(uri)
      .some((d) => d.code === 'lock/held-at-exit' && d.range.start.line + 1 === 30) || undefined);
    const stats = await vscode.commands.executeCommand<{ documents: { uri: string; fresh: number }[] }>('hmmLens.stats');
    const mine = stats.documents.find((d) => d.uri === uri.toString());
    assert.ok(mine && mine.fresh <= 2, `only the edited function is re-analysed (fresh=${mine?.fresh})`);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
