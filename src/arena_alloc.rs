//! The `osmo-chart` binary's memory allocator. A render lives for a few milliseconds and
//! makes about 20,000 small allocations; with glibc's malloc, a fifth of its instructions
//! went to malloc and free (chunk coalescing) and a tenth of its time to page faults, one
//! per fresh 4 KiB page. This allocator carves blocks of fixed size classes out of one
//! reserved region that the kernel may back with 2 MiB pages (one fault instead of 512),
//! and recycles freed blocks through a free list per class. Large or over-aligned
//! requests, and anything once the region is used up, go to the system allocator; a
//! pointer's address says which allocator owns it. Memory is never returned to the
//! system: a process renders and exits, and a batch reuses its freed blocks.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};

/// Address space reserved (not memory used: pages are backed when first touched).
const REGION: usize = 1 << 30;
/// The huge-page size the region is aligned to.
const HUGE_PAGE: usize = 2 << 20;
/// Every block is aligned to this.
const ALIGN: usize = 16;
/// Sizes up to this come in steps of `ALIGN`.
const STEPPED_MAX: usize = 1024;
const STEPPED_CLASSES: usize = STEPPED_MAX / ALIGN;
/// Sizes above `STEPPED_MAX` round up to a power of two, up to this.
const POW2_MAX: usize = 256 << 10;
const POW2_CLASSES: usize = (POW2_MAX.trailing_zeros() - STEPPED_MAX.trailing_zeros()) as usize;
const CLASSES: usize = STEPPED_CLASSES + POW2_CLASSES;

/// A size-class allocator over one reserved region; see the module documentation.
pub struct ArenaAlloc {
    locked: AtomicBool,
    state: UnsafeCell<State>,
}

struct State {
    /// 0 until the region is reserved; `usize::MAX` if reserving it failed.
    start: usize,
    end: usize,
    /// The first never-used byte of the region.
    next: usize,
    /// Head of each class's list of freed blocks (each block holds the next address).
    free: [usize; CLASSES],
}

// SAFETY: `state` is only touched while `locked` is held.
unsafe impl Sync for ArenaAlloc {}

impl ArenaAlloc {
    pub const fn new() -> Self {
        ArenaAlloc {
            locked: AtomicBool::new(false),
            state: UnsafeCell::new(State { start: 0, end: 0, next: 0, free: [0; CLASSES] }),
        }
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        while self.locked.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
            std::hint::spin_loop();
        }
        // SAFETY: the lock is held, so this is the only reference.
        let result = f(unsafe { &mut *self.state.get() });
        self.locked.store(false, Ordering::Release);
        result
    }
}

impl Default for ArenaAlloc {
    fn default() -> Self {
        Self::new()
    }
}

/// The class of a request and its block size, or `None` for the system allocator.
fn class_of(layout: Layout) -> Option<(usize, usize)> {
    let size = layout.size().max(1);
    if layout.align() > ALIGN {
        None
    } else if size <= STEPPED_MAX {
        let class = (size + ALIGN - 1) / ALIGN - 1;
        Some((class, (class + 1) * ALIGN))
    } else if size <= POW2_MAX {
        let block = size.next_power_of_two();
        Some((STEPPED_CLASSES + (block.trailing_zeros() - STEPPED_MAX.trailing_zeros()) as usize - 1, block))
    } else {
        None
    }
}

impl State {
    fn owns(&self, ptr: *mut u8) -> bool {
        (self.start..self.end).contains(&(ptr as usize))
    }

    /// A block of `class`, or null when the region cannot supply one.
    fn take(&mut self, class: usize, block: usize) -> *mut u8 {
        let head = self.free[class];
        if head != 0 {
            // SAFETY: a freed block of this class holds the address of the next one.
            self.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        if self.start == 0 {
            self.reserve();
        }
        if self.start == usize::MAX || self.end - self.next < block {
            return std::ptr::null_mut();
        }
        let ptr = self.next;
        self.next += block;
        ptr as *mut u8
    }

    fn give_back(&mut self, ptr: *mut u8, class: usize) {
        // SAFETY: the block is at least ALIGN bytes, aligned, and no longer in use.
        unsafe { *(ptr as *mut usize) = self.free[class] };
        self.free[class] = ptr as usize;
    }

    #[cfg(target_os = "linux")]
    fn reserve(&mut self) {
        // SAFETY: a fresh private anonymous mapping; nothing else refers to it.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                REGION + HUGE_PAGE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            self.start = usize::MAX;
            return;
        }
        let start = (base as usize + HUGE_PAGE - 1) & !(HUGE_PAGE - 1);
        // Only a hint: without transparent huge pages the region works page by page.
        // SAFETY: the range lies inside the mapping made above.
        unsafe { libc::madvise(start as *mut libc::c_void, REGION, libc::MADV_HUGEPAGE) };
        (self.start, self.next, self.end) = (start, start, start + REGION);
    }

    #[cfg(not(target_os = "linux"))]
    fn reserve(&mut self) {
        self.start = usize::MAX;
    }
}

// Not inlined: with fat LTO every allocation and drop site would otherwise carry its own
// copy (1.3 MB more code, which a millisecond-long process pays for in cache misses).
unsafe impl GlobalAlloc for ArenaAlloc {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if let Some((class, block)) = class_of(layout) {
            let ptr = self.with_state(|s| s.take(class, block));
            if !ptr.is_null() {
                return ptr;
            }
        }
        System.alloc(layout)
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let owned = self.with_state(|s| match class_of(layout) {
            Some((class, _)) if s.owns(ptr) => {
                s.give_back(ptr, class);
                true
            }
            _ => false,
        });
        if !owned {
            System.dealloc(ptr, layout)
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let owned = self.with_state(|s| s.owns(ptr));
        if !owned {
            return System.realloc(ptr, layout, new_size);
        }
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class_of(new_layout).map(|c| c.0) == class_of(layout).map(|c| c.0) {
            return ptr;
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_sizes_without_gaps() {
        let mut last = 0;
        for size in 1..=POW2_MAX {
            let (class, block) = class_of(Layout::from_size_align(size, 8).unwrap()).unwrap();
            assert!(block >= size && block % ALIGN == 0, "size {size} got block {block}");
            assert!(class < CLASSES && class >= last, "size {size} got class {class}");
            last = class;
        }
        assert_eq!(last, CLASSES - 1);
        assert_eq!(class_of(Layout::from_size_align(POW2_MAX + 1, 8).unwrap()), None);
        assert_eq!(class_of(Layout::from_size_align(64, 64).unwrap()), None);
    }

    /// Random allocations, growths, shrinks and frees, each block filled with a pattern
    /// that must survive until it is freed: overlapping or lost blocks show up here.
    #[test]
    fn blocks_keep_their_contents() {
        let arena = ArenaAlloc::new();
        let mut rng = crate::values::generate::Rng::new(7);
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        for step in 0..200_000u32 {
            let choice = rng.below(10);
            if choice < 5 || live.is_empty() {
                let size = 1 + match rng.below(20) {
                    0 => rng.below(600_000),
                    1..=3 => rng.below(8192),
                    _ => rng.below(200),
                };
                let align = [1, 8, 16, 32][rng.below(4)];
                let layout = Layout::from_size_align(size, align).unwrap();
                let ptr = unsafe { arena.alloc(layout) };
                assert!(!ptr.is_null() && ptr as usize % align == 0);
                let fill = step as u8;
                unsafe { std::ptr::write_bytes(ptr, fill, size) };
                live.push((ptr, layout, fill));
            } else {
                let i = rng.below(live.len()) as usize;
                let (ptr, layout, fill) = live.swap_remove(i);
                let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
                assert!(bytes.iter().all(|&b| b == fill), "block of {} bytes was overwritten", layout.size());
                if choice < 8 {
                    let new_size = 1 + rng.below(3000);
                    let new = unsafe { arena.realloc(ptr, layout, new_size) };
                    let kept = unsafe { std::slice::from_raw_parts(new, new_size.min(layout.size())) };
                    assert!(kept.iter().all(|&b| b == fill), "realloc lost contents");
                    unsafe { std::ptr::write_bytes(new, fill, new_size) };
                    live.push((new, Layout::from_size_align(new_size, layout.align()).unwrap(), fill));
                } else {
                    unsafe { arena.dealloc(ptr, layout) };
                }
            }
        }
        for (ptr, layout, _) in live {
            unsafe { arena.dealloc(ptr, layout) };
        }
    }

    #[test]
    fn threads_share_it() {
        static ARENA: ArenaAlloc = ArenaAlloc::new();
        let workers: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    let layout = Layout::from_size_align(24, 8).unwrap();
                    let mut held = Vec::new();
                    for i in 0..20_000usize {
                        let ptr = unsafe { ARENA.alloc(layout) } as *mut usize;
                        unsafe { ptr.write(t * 1_000_000 + i) };
                        held.push((ptr, t * 1_000_000 + i));
                        if i % 3 == 0 {
                            let (p, v) = held.swap_remove(held.len() / 2);
                            assert_eq!(unsafe { p.read() }, v);
                            unsafe { ARENA.dealloc(p as *mut u8, layout) };
                        }
                    }
                    held.iter().all(|&(p, v)| unsafe { p.read() } == v)
                })
            })
            .collect();
        assert!(workers.into_iter().all(|w| w.join().unwrap()));
    }
}
