// SPDX-License-Identifier: GPL-2.0
/*
 * A modern collect walk (the shape of mm/migrate_device.c's
 * migrate_vma_collect_pmd()): each present pte is taken out of the table and
 * replaced by a migration entry that carries its write, anon-exclusive, young,
 * dirty, soft-dirty and uffd-wp bits.
 */
#include <linux/mm.h>
#include <linux/migrate.h>
#include <linux/swapops.h>

static int vgpu_collect_pmd(pmd_t *pmdp, unsigned long start,
			    unsigned long end, struct mm_walk *walk)
{
	struct migrate_vma *migrate = walk->private;
	struct vm_area_struct *vma = walk->vma;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr;
	spinlock_t *ptl;
	pte_t *ptep;

	ptep = pte_offset_map_lock(mm, pmdp, start, &ptl);
	if (!ptep)
		return -EAGAIN;
	arch_enter_lazy_mmu_mode();

	for (addr = start; addr < end; addr += PAGE_SIZE, ptep++) {
		unsigned long mpfn = 0;
		struct folio *folio;
		struct page *page;
		swp_entry_t entry;
		bool anon_exclusive;
		pte_t pte, swp_pte;

		pte = ptep_get(ptep);
		if (!pte_present(pte))
			goto next;
		page = vm_normal_page(vma, addr, pte);
		if (!page)
			goto next;
		mpfn = migrate_pfn(page_to_pfn(page)) | MIGRATE_PFN_MIGRATE;
		mpfn |= pte_write(pte) ? MIGRATE_PFN_WRITE : 0;

		folio = page_folio(page);
		folio_get(folio);
		anon_exclusive = folio_test_anon(folio) && PageAnonExclusive(page);
		pte = ptep_get_and_clear(mm, addr, ptep);

		if (mpfn & MIGRATE_PFN_WRITE)
			entry = make_writable_migration_entry(page_to_pfn(page));
		else if (anon_exclusive)
			entry = make_readable_exclusive_migration_entry(page_to_pfn(page));
		else
			entry = make_readable_migration_entry(page_to_pfn(page));
		if (pte_young(pte))
			entry = make_migration_entry_young(entry);
		if (pte_dirty(pte))
			entry = make_migration_entry_dirty(entry);
		swp_pte = swp_entry_to_pte(entry);
		if (pte_soft_dirty(pte))
			swp_pte = pte_swp_mksoft_dirty(swp_pte);
		if (pte_uffd_wp(pte))
			swp_pte = pte_swp_mkuffd_wp(swp_pte);
		set_pte_at(mm, addr, ptep, swp_pte);
		folio_remove_rmap_pte(folio, page, vma);
		migrate->cpages++;
next:
		migrate->src[migrate->npages++] = mpfn;
	}

	arch_leave_lazy_mmu_mode();
	pte_unmap_unlock(ptep - 1, ptl);
	return 0;
}

const struct mm_walk_ops vgpu_collect_ops = {
	.pmd_entry	= vgpu_collect_pmd,
};
