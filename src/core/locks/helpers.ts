// Lock helpers the catalogue does not describe, with the only lock domains they take or drop
// (read from linux-source-6.12). The cross-function check stops at a caller that calls an unknown
// lock helper, since it may take the candidate's lock; a helper listed here can only take locks of
// these domains, so it does not stop a search for a lock of another domain (inode_lock() takes
// `inode->i_rwsem`, never a spinlock such as `swap_lock`). Not lock verbs: the local analysis
// still treats them as unknown helpers.
export const HELPER_DOMAINS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  // include/linux/fs.h: down_write/up_write/down_read/up_read(&inode->i_rwsem), mapping->invalidate_lock.
  ['inode_lock', ['rwsem']], ['inode_unlock', ['rwsem']], ['inode_lock_shared', ['rwsem']],
  ['inode_unlock_shared', ['rwsem']], ['inode_lock_nested', ['rwsem']], ['inode_lock_shared_nested', ['rwsem']],
  ['inode_trylock', ['rwsem']], ['inode_trylock_shared', ['rwsem']],
  // include/linux/pagemap.h: __filemap_get_folio(…, FGP_LOCK, …) / find_lock_page: the returned folio's lock.
  ['filemap_lock_folio', ['pagelock']], ['filemap_lock_hugetlb_folio', ['pagelock']], ['find_lock_page', ['pagelock']],
  // lib/lockref.c: returns 0 holding `lockref->lock`. lockHelper() leaves lockref_* out (most do not lock),
  // so this one is listed to count as a lock helper at all (gfs2 qd_put() drops the lock it took this way).
  ['lockref_put_or_lock', ['spin']],
]);
