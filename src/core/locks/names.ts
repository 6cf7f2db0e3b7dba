// Function names that say a function opens what another closes (`zone_pcp_disable()` /
// `zone_pcp_enable()`, `pipe_lock()` / `pipe_unlock()`): same name, one opening word swapped for
// a closing one. Used where a lock held at one function's exit or released untaken in another is
// the pair's contract rather than a bug.

/** Name parts that open something, and the parts of the function that closes it. */
const COUNTERPARTS: Readonly<Record<string, readonly string[]>> = {
  start: ['stop', 'end', 'finish', 'done'], begin: ['end', 'finish', 'commit', 'done'], get: ['put', 'release'],
  freeze: ['thaw'], disable: ['enable'], take: ['drop', 'release', 'put'], prepare: ['complete', 'finish', 'end'],
  enter: ['exit', 'leave'], map: ['unmap'], pre: ['post'], lock: ['unlock'], acquire: ['release'],
  pin: ['unpin'], grab: ['release', 'ungrab'], open: ['close', 'release'], down: ['up'], claim: ['release'],
  init: ['uninit', 'deinit', 'fini', 'exit'],
};

/** The names of the functions that would close what `name` opens. */
export function closingCounterparts(name: string): string[] {
  const parts = name.split('_');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    for (const closing of COUNTERPARTS[parts[i]] ?? []) out.push([...parts.slice(0, i), closing, ...parts.slice(i + 1)].join('_'));
  }
  return out;
}
