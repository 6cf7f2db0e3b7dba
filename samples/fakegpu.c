// SPDX-License-Identifier: GPL-2.0
/*
 * fakegpu: device-private VRAM for a made-up GPU, migrated with the copy
 * engine.  Every migration here follows the protocol (setup, copy, pages,
 * finalize), so no migrate/ finding is expected anywhere in this file.
 */
#include <linux/hmm.h>
#include <linux/memremap.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/swapops.h>

#include "fakegpu.h"

/*
 * fakegpu.h has struct fakegpu_device / fakegpu_svmm, the copy engine
 * (fakegpu_ce_copy_page(gdev, dst, src): copy one page and wait, a NULL src
 * clears dst) and the GPU page table writer fakegpu_gpu_map().
 */
#define FAKEGPU_VRAM_SIZE	SZ_64M
#define FAKEGPU_MIGRATE_MAX	64UL	/* pages per migrate_vma_setup() */
#define FAKEGPU_FAULT_PAGES	16UL	/* pages per GPU fault / prefetch */

static struct fakegpu_device *fakegpu_page_to_dev(struct page *page)
{
	return container_of(page->pgmap, struct fakegpu_device, pagemap);
}

static void fakegpu_page_free(struct page *page)
{
	struct fakegpu_device *gdev = fakegpu_page_to_dev(page);

	spin_lock(&gdev->free_lock);
	page->zone_device_data = gdev->free_pages;
	gdev->free_pages = page;
	gdev->nfree++;
	spin_unlock(&gdev->free_lock);
}

/* Always 0: a dst left at 0 is not migrated, finalize restores the old pte. */
static int fakegpu_copy_to_ram(struct fakegpu_device *gdev,
			       struct migrate_vma *args)
{
	struct page *spage, *dpage;

	spage = migrate_pfn_to_page(args->src[0]);
	if (!spage || !(args->src[0] & MIGRATE_PFN_MIGRATE))
		return 0;

	dpage = alloc_page_vma(GFP_HIGHUSER, args->vma, args->start);
	if (!dpage)
		return 0;
	lock_page(dpage);

	if (fakegpu_ce_copy_page(gdev, dpage, spage)) {
		unlock_page(dpage);
		__free_page(dpage);
		return 0;
	}

	args->dst[0] = migrate_pfn(page_to_pfn(dpage));
	return 0;
}

static vm_fault_t fakegpu_migrate_to_ram(struct vm_fault *vmf)
{
	struct fakegpu_device *gdev = fakegpu_page_to_dev(vmf->page);
	unsigned long src = 0, dst = 0;
	vm_fault_t ret = 0;
	struct migrate_vma args = {
		.vma		= vmf->vma,
		.start		= vmf->address & PAGE_MASK,
		.end		= (vmf->address & PAGE_MASK) + PAGE_SIZE,
		.src		= &src,
		.dst		= &dst,
		.pgmap_owner	= gdev,
		.fault_page	= vmf->page,
		.flags		= MIGRATE_VMA_SELECT_DEVICE_PRIVATE,
	};

	if (migrate_vma_setup(&args) < 0)
		return VM_FAULT_SIGBUS;
	if (!args.cpages)
		return 0;

	if (fakegpu_copy_to_ram(gdev, &args))
		ret = VM_FAULT_SIGBUS;
	else
		migrate_vma_pages(&args);
	migrate_vma_finalize(&args);
	return ret;
}

static const struct dev_pagemap_ops fakegpu_pagemap_ops = {
	.page_free		= fakegpu_page_free,
	.migrate_to_ram		= fakegpu_migrate_to_ram,
};

/* Fill args->dst with VRAM copies; out of VRAM, the rest stays in RAM. */
static int fakegpu_alloc_and_copy(struct fakegpu_device *gdev,
				  struct migrate_vma *args)
{
	unsigned long i, npages = (args->end - args->start) >> PAGE_SHIFT;
	struct page *dpage;
	int ret;

	for (i = 0; i < npages; i++) {
		if (!(args->src[i] & MIGRATE_PFN_MIGRATE))
			continue;

		spin_lock(&gdev->free_lock);
		dpage = gdev->free_pages;
		if (dpage) {
			gdev->free_pages = dpage->zone_device_data;
			gdev->nfree--;
		}
		spin_unlock(&gdev->free_lock);
		if (!dpage)
			break;
		zone_device_page_init(dpage);

		/* A NULL source (never-touched anonymous page) is a clear. */
		ret = fakegpu_ce_copy_page(gdev, dpage,
					   migrate_pfn_to_page(args->src[i]));
		if (ret) {
			unlock_page(dpage);
			put_page(dpage);
			return ret;
		}
		args->dst[i] = migrate_pfn(page_to_pfn(dpage));
	}
	return 0;
}

int fakegpu_migrate_to_vram(struct fakegpu_svmm *svmm,
			    struct vm_area_struct *vma,
			    unsigned long start, unsigned long end)
{
	struct fakegpu_device *gdev = svmm->gdev;
	struct migrate_vma args = {
		.vma		= vma,
		.pgmap_owner	= gdev,
		.flags		= MIGRATE_VMA_SELECT_SYSTEM,
	};
	unsigned long addr;
	int ret = -ENOMEM;

	args.src = kcalloc(FAKEGPU_MIGRATE_MAX, sizeof(*args.src), GFP_KERNEL);
	if (!args.src)
		return -ENOMEM;
	args.dst = kcalloc(FAKEGPU_MIGRATE_MAX, sizeof(*args.dst), GFP_KERNEL);
	if (!args.dst)
		goto out_free_src;

	for (addr = start; addr < end; addr = args.end) {
		args.start = addr;
		args.end = min(end, addr + (FAKEGPU_MIGRATE_MAX << PAGE_SHIFT));

		ret = migrate_vma_setup(&args);
		if (ret)
			goto out_free_dst;
		if (!args.cpages)
			continue;

		ret = fakegpu_alloc_and_copy(gdev, &args);
		if (ret)
			goto out_finalize;

		migrate_vma_pages(&args);
		migrate_vma_finalize(&args);
	}
	kfree(args.dst);
	kfree(args.src);
	return 0;

out_finalize:
	migrate_vma_finalize(&args);
out_free_dst:
	kfree(args.dst);
out_free_src:
	kfree(args.src);
	return ret;
}

/* Second half of a migration whose setup the caller did. */
static void fakegpu_migrate_finish(struct fakegpu_device *gdev,
				   struct migrate_vma *args)
{
	if (!fakegpu_alloc_and_copy(gdev, args))
		migrate_vma_pages(args);
	migrate_vma_finalize(args);
}

/* Pull a small window around @addr into VRAM ahead of a GPU job. */
int fakegpu_prefetch(struct fakegpu_svmm *svmm, struct vm_area_struct *vma,
		     unsigned long addr)
{
	unsigned long src[FAKEGPU_FAULT_PAGES] = { 0 };
	unsigned long dst[FAKEGPU_FAULT_PAGES] = { 0 };
	struct migrate_vma args = {
		.vma		= vma,
		.src		= src,
		.dst		= dst,
		.pgmap_owner	= svmm->gdev,
		.flags		= MIGRATE_VMA_SELECT_SYSTEM,
	};
	int ret;

	args.start = ALIGN_DOWN(addr, FAKEGPU_FAULT_PAGES << PAGE_SHIFT);
	args.end = min(vma->vm_end, args.start + (FAKEGPU_FAULT_PAGES << PAGE_SHIFT));
	args.start = max(vma->vm_start, args.start);

	ret = migrate_vma_setup(&args);
	if (ret)
		return ret;

	fakegpu_migrate_finish(svmm->gdev, &args);
	return 0;
}

/* The device is going away: copy every collected VRAM page back, no failing. */
static void fakegpu_evict_copy(struct fakegpu_device *gdev,
			       const unsigned long *src, unsigned long *dst,
			       unsigned long npages)
{
	struct page *spage, *dpage;
	unsigned long i;

	for (i = 0; i < npages; i++) {
		spage = migrate_pfn_to_page(src[i]);
		if (!spage || !(src[i] & MIGRATE_PFN_MIGRATE))
			continue;

		dpage = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOFAIL);
		lock_page(dpage);
		if (fakegpu_ce_copy_page(gdev, dpage, spage))
			clear_highpage(dpage);	/* contents are lost */
		dst[i] = migrate_pfn(page_to_pfn(dpage));
	}
}

static void fakegpu_evict_vram(struct fakegpu_device *gdev)
{
	unsigned long start_pfn = gdev->pagemap.range.start >> PAGE_SHIFT;
	unsigned long npages = range_len(&gdev->pagemap.range) >> PAGE_SHIFT;
	unsigned long *src_pfns, *dst_pfns;

	src_pfns = kvcalloc(npages, sizeof(*src_pfns), GFP_KERNEL | __GFP_NOFAIL);
	dst_pfns = kvcalloc(npages, sizeof(*dst_pfns), GFP_KERNEL | __GFP_NOFAIL);

	migrate_device_range(src_pfns, start_pfn, npages);
	fakegpu_evict_copy(gdev, src_pfns, dst_pfns, npages);
	migrate_device_pages(src_pfns, dst_pfns, npages);
	migrate_device_finalize(src_pfns, dst_pfns, npages);

	kvfree(dst_pfns);
	kvfree(src_pfns);
}

int fakegpu_range_fault(struct fakegpu_svmm *svmm, unsigned long start,
			bool write)
{
	struct mm_struct *mm = svmm->notifier.mm;
	unsigned long pfns[FAKEGPU_FAULT_PAGES];
	struct hmm_range range = {
		.notifier		= &svmm->notifier,
		.start			= start,
		.end			= start + (FAKEGPU_FAULT_PAGES << PAGE_SHIFT),
		.hmm_pfns		= pfns,
		.default_flags		= HMM_PFN_REQ_FAULT |
					  (write ? HMM_PFN_REQ_WRITE : 0),
		.dev_private_owner	= svmm->gdev,
	};
	int ret;

	if (!mmget_not_zero(mm))
		return -EFAULT;

	for (;;) {
		range.notifier_seq = mmu_interval_read_begin(range.notifier);
		mmap_read_lock(mm);
		ret = hmm_range_fault(&range);
		mmap_read_unlock(mm);
		if (ret) {
			if (ret == -EBUSY)
				continue;
			goto out;
		}

		mutex_lock(&svmm->mutex);
		if (!mmu_interval_read_retry(range.notifier, range.notifier_seq))
			break;
		mutex_unlock(&svmm->mutex);
	}

	fakegpu_gpu_map(svmm, start, pfns, FAKEGPU_FAULT_PAGES);
	mutex_unlock(&svmm->mutex);
out:
	mmput(mm);
	return ret;
}

/* debugfs: is this non-present CPU pte one of our VRAM pages? */
bool fakegpu_pte_in_vram(struct fakegpu_device *gdev, pte_t pte)
{
	swp_entry_t entry;

	if (pte_present(pte) || pte_none(pte))
		return false;

	entry = pte_to_swp_entry(pte);
	if (!is_device_private_entry(entry))
		return false;

	return pfn_swap_entry_to_page(entry)->pgmap == &gdev->pagemap;
}

int fakegpu_dmem_init(struct fakegpu_device *gdev)
{
	struct resource *res;
	unsigned long pfn;
	struct page *page;
	void *ptr;

	res = request_free_mem_region(&iomem_resource, FAKEGPU_VRAM_SIZE,
				      "fakegpu-vram");
	if (IS_ERR(res))
		return PTR_ERR(res);

	gdev->res = res;
	gdev->pagemap.type = MEMORY_DEVICE_PRIVATE;
	gdev->pagemap.range.start = res->start;
	gdev->pagemap.range.end = res->end;
	gdev->pagemap.nr_range = 1;
	gdev->pagemap.ops = &fakegpu_pagemap_ops;
	gdev->pagemap.owner = gdev;
	spin_lock_init(&gdev->free_lock);

	ptr = memremap_pages(&gdev->pagemap, dev_to_node(gdev->dev));
	if (IS_ERR(ptr)) {
		release_mem_region(res->start, resource_size(res));
		return PTR_ERR(ptr);
	}

	for (pfn = PHYS_PFN(res->start); pfn <= PHYS_PFN(res->end); pfn++) {
		page = pfn_to_page(pfn);
		page->zone_device_data = gdev->free_pages;
		gdev->free_pages = page;
		gdev->nfree++;
	}
	return 0;
}

void fakegpu_dmem_fini(struct fakegpu_device *gdev)
{
	fakegpu_evict_vram(gdev);
	WARN_ON(gdev->nfree != FAKEGPU_VRAM_SIZE >> PAGE_SHIFT);
	memunmap_pages(&gdev->pagemap);
	release_mem_region(gdev->res->start, resource_size(gdev->res));
}

/*
 * Destination-page allocator for a second (prefetch) path: it takes a free VRAM
 * page and readies it with zone_device_page_init(), which locks it. It never
 * names src[]/dst[]; the init call alone makes it a copy-step helper.
 */
struct page *fakegpu_alloc_vram_page(struct fakegpu_device *gdev)
{
	struct page *dpage;

	spin_lock(&gdev->free_lock);
	dpage = gdev->free_pages;
	if (dpage) {
		gdev->free_pages = dpage->zone_device_data;
		gdev->nfree--;
	}
	spin_unlock(&gdev->free_lock);
	if (!dpage)
		return NULL;
	zone_device_page_init(dpage);
	return dpage;
}

/* Copy plumbing: maps a page for the copy engine. Only a copy helper calls it. */
static dma_addr_t fakegpu_map_for_copy(struct fakegpu_device *gdev, struct page *page)
{
	return dma_map_page(gdev->dev, page, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
}

/* A predicate on the device, also only called by a copy helper: not plumbing. */
static bool fakegpu_vram_low(struct fakegpu_device *gdev)
{
	return gdev->nfree < 16;
}

static void fakegpu_prefetch_copy(struct fakegpu_device *gdev, struct migrate_vma *args)
{
	unsigned long i;

	for (i = 0; i < args->npages && !fakegpu_vram_low(gdev); i++) {
		struct page *spage = migrate_pfn_to_page(args->src[i]);
		struct page *dpage;

		if (!spage || !(args->src[i] & MIGRATE_PFN_MIGRATE))
			continue;
		dpage = fakegpu_alloc_vram_page(gdev);
		if (!dpage)
			break;
		fakegpu_ce_copy_dma(gdev, dpage, fakegpu_map_for_copy(gdev, spage));
		args->dst[i] = migrate_pfn(page_to_pfn(dpage));
	}
}
