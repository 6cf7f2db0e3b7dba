// SPDX-License-Identifier: GPL-2.0
/*
 * Sample in the style of the 2017 HMM migration series (mm/migrate.c),
 * written for HMM Lens: a page-table walk that takes the PTE lock, enters
 * lazy MMU mode, trylocks each page, and unwinds.
 */
#include <linux/mm.h>
#include <linux/hmm.h>

static int hmm_collect_walk_pmd(pmd_t *pmdp, unsigned long start,
				unsigned long end, struct mm_walk *walk)
{
	struct hmm_migrate *migrate = walk->private;
	struct mm_struct *mm = walk->vma->vm_mm;
	unsigned long addr = start;
	spinlock_t *ptl;
	hmm_pfn_t *pfns;
	int pages = 0;
	pte_t *ptep;

again:
	if (pmd_none(*pmdp))
		return 0;

	split_huge_pmd(walk->vma, pmdp, addr);
	if (pmd_trans_unstable(pmdp))
		goto again;

	pfns = &migrate->pfns[(addr - migrate->start) >> PAGE_SHIFT];
	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	arch_enter_lazy_mmu_mode();

	for (; addr < end; addr += PAGE_SIZE, pfns++, ptep++) {
		struct page *page;
		pte_t pte;

		pte = ptep_get_and_clear(mm, addr, ptep);
		if (!pte_present(pte))
			continue;
		page = pfn_to_page(pte_pfn(pte));
		get_page(page);

		if (!trylock_page(page)) {
			set_pte_at(mm, addr, ptep, pte);
		} else {
			*pfns |= HMM_PFN_LOCKED;
			pages++;
		}
	}

	arch_leave_lazy_mmu_mode();
	pte_unmap_unlock(ptep - 1, ptl);

	if (pages)
		flush_tlb_range(walk->vma, start, end);
	return 0;
}

/* Bug: the error path returns with the page-table lock and lazy MMU mode held. */
static int sample_leak_on_error(struct mm_struct *mm, pmd_t *pmdp, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep;

	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	if (!ptep)
		return -EAGAIN;
	arch_enter_lazy_mmu_mode();
	if (pte_none(ptep_get(ptep)))
		return -ENOENT;	/* ptl still held */
	arch_leave_lazy_mmu_mode();
	pte_unmap_unlock(ptep, ptl);
	return 0;
}

static void sample_correlated(struct folio *folio, bool locked)
{
	if (!locked)
		folio_lock(folio);
	folio_mark_dirty(folio);
	if (!locked)
		folio_unlock(folio);
}
