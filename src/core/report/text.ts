// Human-readable findings, compiler style (path:line:col: level: message [rule]),
// each followed by the path that shows it.
import type { FileAnalysis } from '../model';

export function toText(files: FileAnalysis[]): string {
  const lines: string[] = [];
  let findings = 0;
  let skipped = 0;
  for (const f of files) {
    for (const d of f.diagnostics) {
      findings++;
      lines.push(`${f.path}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.ruleId}]`);
      for (const s of d.flow) lines.push(`    ${s.path ?? f.path}:${s.line}: ${s.message}`);
    }
    skipped += f.unanalysed.length;
  }
  const nFiles = files.length;
  lines.push(`${findings} finding${findings === 1 ? '' : 's'} in ${nFiles} file${nFiles === 1 ? '' : 's'}`
    + (skipped ? `; ${skipped} region${skipped === 1 ? '' : 's'} not analysed (--format json lists them)` : ''));
  return `${lines.join('\n')}\n`;
}
