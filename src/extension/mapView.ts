// The "Migration Map" tree view: roles at the top, their functions below, each
// expanding to its callers and callees; a click reveals the place. Refreshed when the
// workspace index changes. getChildren() is what the extension-host tests read.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { WorkspaceIndex } from './workspaceIndex';
import type { MapFunction } from '../core/migrate/map';
import { callersOf, calleesOf } from './mapQueries';
import { toRange } from './positions';

const ROLES = ['api', 'callback', 'caller', 'helper', 'entry', 'hmm-mirror'];

export type MapNode =
  | { kind: 'role'; role: string; count: number }
  | { kind: 'function'; fn: MapFunction }
  | { kind: 'group'; fn: MapFunction; which: 'callers' | 'callees' }
  | { kind: 'call'; label: string; path?: string; line: number; detail: string };

export class MigrationMapView implements vscode.TreeDataProvider<MapNode> {
  private readonly changed = new vscode.EventEmitter<MapNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly index: WorkspaceIndex) {}

  refresh(): void { this.changed.fire(undefined); }

  getChildren(node?: MapNode): MapNode[] {
    const map = this.index.getMap();
    if (!node) {
      return ROLES.map((role) => ({ kind: 'role' as const, role, count: map.functions.filter((f) => f.role === role).length }))
        .filter((r) => r.count > 0);
    }
    if (node.kind === 'role') {
      return map.functions.filter((f) => f.role === node.role)
        .sort((a, b) => a.name.localeCompare(b.name)).map((fn) => ({ kind: 'function' as const, fn }));
    }
    if (node.kind === 'function') return [{ kind: 'group', fn: node.fn, which: 'callers' }, { kind: 'group', fn: node.fn, which: 'callees' }];
    if (node.kind === 'group') {
      if (node.which === 'callers') {
        return callersOf(map, node.fn.path, node.fn.name)
          .map((c) => ({ kind: 'call' as const, label: c.name, path: c.path, line: c.line, detail: `${path.basename(c.path)}:${c.line}` }));
      }
      return calleesOf(map, node.fn.path, node.fn.name)
        .map((c) => ({ kind: 'call' as const, label: c.name, path: c.path, line: c.line, detail: `line ${c.line}` }));
    }
    return [];
  }

  getTreeItem(node: MapNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'role': {
        const item = new vscode.TreeItem(node.role, C.Expanded);
        item.description = `${node.count}`;
        return item;
      }
      case 'function': {
        const item = new vscode.TreeItem(node.fn.name, C.Collapsed);
        item.description = `${node.fn.phase ?? ''} ${path.basename(node.fn.path)}:${node.fn.line}`.trim();
        item.command = reveal(node.fn.path, node.fn.line);
        item.contextValue = 'hmmLensFunction';
        return item;
      }
      case 'group':
        return new vscode.TreeItem(node.which, C.Collapsed);
      case 'call': {
        const item = new vscode.TreeItem(node.label, C.None);
        item.description = node.detail;
        if (node.path) item.command = reveal(node.path, node.line);
        return item;
      }
    }
  }

  dispose(): void { this.changed.dispose(); }
}

function reveal(file: string, line: number): vscode.Command {
  return { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(file), { selection: toRange(undefined, line) }] };
}
