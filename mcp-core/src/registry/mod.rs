//! What a server serves: tools, resources, resource templates and prompts.
//!
//! Each kind is a list of handlers (small traits the macros implement, or you do by hand) kept
//! in one generic registry: metadata is computed once at registration, and the list pages are
//! serialized once and cached until the list changes (add, remove, enable, disable).

mod blocking;
mod policy;
pub(crate) mod prompt;
pub(crate) mod resource;
pub(crate) mod tool;
pub(crate) mod uri_template;

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use arc_swap::ArcSwap;
use parking_lot::Mutex;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::error::McpError;
use crate::protocol::ListKind;
use crate::visibility::{TagFilter, Visibility};

/// A handler's answer: already there (sync handlers, no allocation), or a future.
pub enum Reply<T> {
    /// The handler finished synchronously.
    Ready(Result<T, McpError>),
    /// The handler is running.
    Pending(Pin<Box<dyn Future<Output = Result<T, McpError>> + Send>>),
}

impl<T> Reply<T> {
    /// A finished answer.
    pub fn ready(result: Result<T, McpError>) -> Self {
        Self::Ready(result)
    }

    /// A running answer.
    pub fn pending<F>(future: F) -> Self
    where
        F: Future<Output = Result<T, McpError>> + Send + 'static,
    {
        Self::Pending(Box::pin(future))
    }

    /// Waits for the answer.
    pub async fn resolve(self) -> Result<T, McpError> {
        match self {
            Self::Ready(result) => result,
            Self::Pending(future) => future.await,
        }
    }
}

/// Why a tool, resource, template or prompt could not be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    /// Another tool already has this name.
    #[error("a tool named `{0}` is already registered: give one of them another name with #[tool(name = \"...\")]")]
    Duplicate(String),
    /// The name breaks the naming rule.
    #[error("`{0}` is not a valid tool name: use 1 to 128 of A-Z a-z 0-9 _ - .")]
    InvalidName(String),
    /// An `x-mcp-header` in the tool's input schema breaks the spec's rules (clients would
    /// drop the tool).
    #[error("tool `{0}` declares an invalid `x-mcp-header`: {1}")]
    InvalidHeader(String, String),
    /// Another resource already has this URI.
    #[error("a resource with URI `{0}` is already registered: give each resource its own URI")]
    DuplicateResource(String),
    /// Another resource template already has this URI template.
    #[error(
        "a resource template `{0}` is already registered: give each template its own URI template"
    )]
    DuplicateTemplate(String),
    /// The URI template is not RFC 6570 level 1.
    #[error("`{0}` is not a valid URI template: {1}")]
    InvalidTemplate(String, String),
    /// Another prompt already has this name.
    #[error("a prompt named `{0}` is already registered: give one of them another name with #[prompt(name = \"...\")]")]
    DuplicatePrompt(String),
}

/// One kind of registered item.
pub(crate) trait Entry: Clone + Send + Sync + 'static {
    /// The array's key in the list result (`tools`, `resources`...).
    const LIST_KEY: &'static str;
    /// The list it belongs to.
    const KIND: ListKind;
    /// How it is listed.
    type Definition: Serialize;
    /// The unique key (name or URI).
    fn key(&self) -> &str;
    /// The metadata, computed at registration.
    fn definition(&self) -> &Self::Definition;
    /// Its tags (server-side only).
    fn tags(&self) -> &[String];
    /// The scopes using it needs (none: anyone may).
    fn scopes(&self) -> &[String] {
        &[]
    }
    /// The error for a second entry with the same key.
    fn duplicate(key: &str) -> RegisterError;
}

/// An immutable snapshot of the enabled entries, with the default view's list pages
/// serialized once. Entries the tag filter hides stay in it, so that a session whose rules
/// show them can get them.
pub(crate) struct Snapshot<E> {
    items: Vec<E>,
    /// Whether the tag filter serves `items[i]` (the view of sessions without rules).
    shown: Vec<bool>,
    by_key: HashMap<Box<str>, usize>,
    pages: Vec<Box<RawValue>>,
    /// Whether some entry needs scopes (lists of authenticated requests are then filtered).
    scoped: bool,
    page_size: usize,
}

struct Page<'a, E: Entry> {
    items: &'a [&'a E],
    next_cursor: Option<String>,
}

impl<E: Entry> Serialize for Page<'_, E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Items<'a, E>(&'a [&'a E]);
        impl<E: Entry> Serialize for Items<'_, E> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(|e| e.definition()))
            }
        }
        let mut map = s.serialize_map(None)?;
        map.serialize_entry(E::LIST_KEY, &Items(self.items))?;
        if let Some(cursor) = &self.next_cursor {
            map.serialize_entry("nextCursor", cursor)?;
        }
        map.end()
    }
}

/// The serialized pages of `items`.
fn paginate<E: Entry>(items: &[&E], page_size: usize) -> Vec<Box<RawValue>> {
    let chunks: Vec<&[&E]> = if items.is_empty() {
        vec![&[]]
    } else {
        items.chunks(page_size.max(1)).collect()
    };
    let last = chunks.len() - 1;
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let page = Page {
                items: chunk,
                next_cursor: (i < last).then(|| crate::cursor::encode(i + 1)),
            };
            serde_json::value::to_raw_value(&page).expect("definitions serialize")
        })
        .collect()
}

/// The page a cursor points to, of `count` pages; a cursor we did not hand out is `-32602`.
fn page_index(cursor: Option<&str>, count: usize) -> Result<usize, McpError> {
    match cursor {
        None => Ok(0),
        Some(c) => crate::cursor::decode(c)
            .filter(|&i| i < count)
            .ok_or_else(|| {
                McpError::invalid_params(format!(
                    "invalid cursor `{c}`: pass a `nextCursor` from a previous page"
                ))
            }),
    }
}

impl<E: Entry> Snapshot<E> {
    fn build(items: Vec<E>, filter: &TagFilter, page_size: usize) -> Self {
        let by_key = items
            .iter()
            .enumerate()
            .map(|(i, e)| (Box::from(e.key()), i))
            .collect();
        let shown: Vec<bool> = items.iter().map(|e| filter.allows(e.tags())).collect();
        let listed: Vec<&E> = items
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(e, _)| e)
            .collect();
        let pages = paginate(&listed, page_size);
        Self {
            scoped: items.iter().any(|e| !e.scopes().is_empty()),
            items,
            shown,
            by_key,
            pages,
            page_size,
        }
    }

    /// Whether `items[i]` is served to a session with these rules (`None`: no rules).
    fn visible(&self, i: usize, rules: Option<&Visibility>) -> bool {
        let default = self.shown[i];
        match rules {
            None => default,
            Some(rules) => {
                let e = &self.items[i];
                rules.decide(E::KIND, e.key(), e.tags()).unwrap_or(default)
            }
        }
    }

    /// The entry with this key, if a session with these rules (`None`: none) may use it.
    pub(crate) fn get(&self, key: &str, rules: Option<&Visibility>) -> Option<&E> {
        let &i = self.by_key.get(key)?;
        self.visible(i, rules).then(|| &self.items[i])
    }

    /// The entries a session with these rules may use, in registration order.
    pub(crate) fn iter<'a>(&'a self, rules: Option<&'a Visibility>) -> impl Iterator<Item = &'a E> {
        (0..self.items.len())
            .filter(move |&i| self.visible(i, rules))
            .map(|i| &self.items[i])
    }

    /// Whether some entry needs scopes.
    pub(crate) fn has_scopes(&self) -> bool {
        self.scoped
    }

    /// The list page a cursor points to, for a session with these rules and of the entries
    /// `keep` accepts (the principal's scopes allow): the cached page with neither, else one
    /// serialized for the call. A cursor we did not hand out is `-32602`.
    pub(crate) fn page(
        &self,
        cursor: Option<&str>,
        rules: Option<&Visibility>,
        keep: Option<&dyn Fn(&E) -> bool>,
    ) -> Result<Cow<'_, RawValue>, McpError> {
        if rules.is_none() && keep.is_none() {
            let index = page_index(cursor, self.pages.len())?;
            return Ok(Cow::Borrowed(&*self.pages[index]));
        }
        let listed: Vec<&E> = self
            .iter(rules)
            .filter(|e| keep.is_none_or(|keep| keep(e)))
            .collect();
        let mut pages = paginate(&listed, self.page_size);
        let index = page_index(cursor, pages.len())?;
        Ok(Cow::Owned(pages.swap_remove(index)))
    }
}

#[derive(Clone)]
struct Slot<E> {
    entry: E,
    enabled: bool,
}

/// A list that can change at runtime. Readers take a lock-free snapshot; a change marks it
/// stale and the next reader rebuilds it (so registering many items at start-up serializes
/// the list once).
pub(crate) struct Registry<E> {
    slots: Mutex<Vec<Slot<E>>>,
    current: ArcSwap<Snapshot<E>>,
    stale: AtomicBool,
    /// Counts changes to `slots`: what is derived from them is current while it stays put.
    generation: AtomicU64,
    page_size: AtomicUsize,
    filter: Mutex<TagFilter>,
}

impl<E: Entry> Default for Registry<E> {
    fn default() -> Self {
        Self {
            slots: Mutex::default(),
            current: ArcSwap::from_pointee(Snapshot::build(
                Vec::new(),
                &TagFilter::default(),
                usize::MAX,
            )),
            stale: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            page_size: AtomicUsize::new(usize::MAX),
            filter: Mutex::default(),
        }
    }
}

impl<E: Entry> Registry<E> {
    /// Adds an entry, enabled; its key must be new.
    pub(crate) fn insert(&self, entry: E) -> Result<(), RegisterError> {
        let mut slots = self.slots.lock();
        if slots.iter().any(|s| s.entry.key() == entry.key()) {
            return Err(E::duplicate(entry.key()));
        }
        slots.push(Slot {
            entry,
            enabled: true,
        });
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.stale.store(true, Ordering::Release);
        Ok(())
    }

    /// Removes the entry with this key; `false` if there is none.
    pub(crate) fn remove(&self, key: &str) -> bool {
        let mut slots = self.slots.lock();
        let before = slots.len();
        slots.retain(|s| s.entry.key() != key);
        let removed = slots.len() != before;
        if removed {
            self.generation.fetch_add(1, Ordering::AcqRel);
            self.stale.store(true, Ordering::Release);
        }
        removed
    }

    /// Shows or hides the entry with this key; `false` if there is none. Hidden entries are
    /// neither listed nor callable.
    pub(crate) fn set_enabled(&self, key: &str, enabled: bool) -> bool {
        let mut slots = self.slots.lock();
        let Some(slot) = slots.iter_mut().find(|s| s.entry.key() == key) else {
            return false;
        };
        if slot.enabled != enabled {
            slot.enabled = enabled;
            self.stale.store(true, Ordering::Release);
        }
        true
    }

    /// Changes with every entry added or removed (see [`has_entries`](Self::has_entries) and
    /// [`any`](Self::any)).
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Whether anything is registered, enabled or not.
    pub(crate) fn has_entries(&self) -> bool {
        !self.slots.lock().is_empty()
    }

    /// Whether any registered entry satisfies `f`.
    pub(crate) fn any(&self, f: impl Fn(&E) -> bool) -> bool {
        self.slots.lock().iter().any(|s| f(&s.entry))
    }

    /// Whether any registered entry has `tag`.
    pub(crate) fn has_tag(&self, tag: &str) -> bool {
        self.any(|e| e.tags().iter().any(|t| t == tag))
    }

    /// Replaces the tag filter; `true` if that changes what sessions without rules see (a
    /// session with rules sees a change only then too: its rules override the filter).
    pub(crate) fn set_filter(&self, filter: TagFilter) -> bool {
        let before = self.snapshot();
        {
            let _slots = self.slots.lock();
            let mut current = self.filter.lock();
            if *current == filter {
                return false;
            }
            *current = filter;
            self.stale.store(true, Ordering::Release);
        }
        !before
            .iter(None)
            .map(Entry::key)
            .eq(self.snapshot().iter(None).map(Entry::key))
    }

    pub(crate) fn set_page_size(&self, size: usize) {
        let _slots = self.slots.lock();
        self.page_size.store(size.max(1), Ordering::Relaxed);
        self.stale.store(true, Ordering::Release);
    }

    /// The enabled entries, with their pages.
    ///
    /// Every change marks the snapshot stale under the `slots` lock, and the rebuild runs under
    /// it too: the rebuilt snapshot is stored *before* `stale` is cleared, so a reader that
    /// finds it fresh (on any thread) loads the rebuilt one, and a change cannot slip in between.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot<E>> {
        if self.stale.load(Ordering::Acquire) {
            let slots = self.slots.lock();
            if self.stale.load(Ordering::Acquire) {
                let items = slots
                    .iter()
                    .filter(|s| s.enabled)
                    .map(|s| s.entry.clone())
                    .collect();
                let filter = self.filter.lock();
                let page_size = self.page_size.load(Ordering::Relaxed);
                let set = Snapshot::build(items, &filter, page_size);
                self.current.store(Arc::new(set));
                self.stale.store(false, Ordering::Release);
            }
        }
        self.current.load_full()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    struct Item(String, Vec<String>);

    impl Entry for Item {
        const LIST_KEY: &'static str = "items";
        const KIND: ListKind = ListKind::Tools;
        type Definition = String;
        fn key(&self) -> &str {
            &self.0
        }
        fn definition(&self) -> &String {
            &self.0
        }
        fn tags(&self) -> &[String] {
            &self.1
        }
        fn duplicate(key: &str) -> RegisterError {
            RegisterError::DuplicatePrompt(key.into())
        }
    }

    fn registry(names: &[&str]) -> Registry<Item> {
        let registry = Registry::default();
        for name in names {
            let (name, tags) = name.split_once(':').unwrap_or((name, ""));
            let tags = tags.split(',').filter(|t| !t.is_empty()).map(Into::into);
            registry.insert(Item(name.into(), tags.collect())).unwrap();
        }
        registry
    }

    #[test]
    fn pages_follow_cursors_to_the_end() {
        let registry = registry(&["a", "b", "c"]);
        registry.set_page_size(2);
        let snapshot = registry.snapshot();
        let first: serde_json::Value =
            serde_json::from_str(snapshot.page(None, None, None).unwrap().get()).unwrap();
        assert_eq!(first["items"], serde_json::json!(["a", "b"]));
        let cursor = first["nextCursor"].as_str().unwrap();
        let second: serde_json::Value =
            serde_json::from_str(snapshot.page(Some(cursor), None, None).unwrap().get()).unwrap();
        assert_eq!(second, serde_json::json!({"items": ["c"]}));
        assert_eq!(
            snapshot.page(Some("bogus"), None, None).unwrap_err().code,
            -32602
        );
        assert_eq!(
            snapshot
                .page(Some(&crate::cursor::encode(9)), None, None)
                .unwrap_err()
                .code,
            -32602
        );
    }

    #[test]
    fn changes_invalidate_the_snapshot() {
        let registry = registry(&["a", "b"]);
        assert_eq!(
            registry.snapshot().page(None, None, None).unwrap().get(),
            r#"{"items":["a","b"]}"#
        );
        assert!(registry.set_enabled("a", false));
        assert_eq!(
            registry.snapshot().page(None, None, None).unwrap().get(),
            r#"{"items":["b"]}"#
        );
        assert!(registry.snapshot().get("a", None).is_none());
        assert!(registry.has_entries());
        assert!(registry.remove("b"));
        assert!(!registry.remove("b"));
        assert_eq!(
            registry.snapshot().page(None, None, None).unwrap().get(),
            r#"{"items":[]}"#
        );
        assert!(registry.set_enabled("a", true));
        assert!(registry.snapshot().get("a", None).is_some());
    }

    /// Readers on other threads racing the first rebuild after a change must all see the
    /// change: a reader that finds the snapshot no longer stale must find the rebuilt one.
    #[test]
    fn concurrent_readers_see_a_change_as_soon_as_one_of_them_rebuilds() {
        const READERS: usize = 4;
        for round in 0..2_000 {
            let registry = Arc::new(Registry::<Item>::default());
            let _ = registry.snapshot();
            let start = Arc::new(std::sync::Barrier::new(READERS + 1));
            let readers: Vec<_> = (0..READERS)
                .map(|_| {
                    let (registry, start) = (registry.clone(), start.clone());
                    std::thread::spawn(move || {
                        start.wait();
                        registry.snapshot().get("a", None).is_some()
                    })
                })
                .collect();
            registry.insert(Item("a".into(), Vec::new())).unwrap();
            start.wait();
            for reader in readers {
                assert!(reader.join().unwrap(), "round {round}: a reader missed `a`");
            }
        }
    }

    #[test]
    fn duplicates_are_refused() {
        let registry = registry(&["a"]);
        assert!(registry.insert(Item("a".into(), Vec::new())).is_err());
    }

    fn listed(snapshot: &Snapshot<Item>, rules: Option<&Visibility>) -> String {
        snapshot.page(None, rules, None).unwrap().get().to_owned()
    }

    #[test]
    fn the_tag_filter_hides_from_the_default_view_only() {
        let registry = registry(&["a", "b:admin", "c:beta,public", "d:public"]);
        assert!(registry.has_tag("admin") && !registry.has_tag("nope"));
        assert!(registry.set_filter(TagFilter {
            include: Vec::new(),
            exclude: vec!["admin".into(), "beta".into()],
        }));
        assert!(!registry.set_filter(TagFilter {
            include: Vec::new(),
            exclude: vec!["admin".into(), "beta".into(), "unused".into()],
        }));
        let snapshot = registry.snapshot();
        assert_eq!(listed(&snapshot, None), r#"{"items":["a","d"]}"#);
        assert!(snapshot.get("b", None).is_none());
        let unlocked = Visibility::default()
            .with(crate::visibility::Selector::tag("admin"), true)
            .unwrap();
        assert_eq!(
            listed(&snapshot, Some(&unlocked)),
            r#"{"items":["a","b","d"]}"#
        );
        assert!(snapshot.get("b", Some(&unlocked)).is_some());
        let hidden = unlocked
            .with(crate::visibility::Selector::tool("a"), false)
            .unwrap();
        assert_eq!(listed(&snapshot, Some(&hidden)), r#"{"items":["b","d"]}"#);
        assert!(snapshot.get("a", Some(&hidden)).is_none());
        assert!(!registry.set_filter(TagFilter {
            include: Vec::new(),
            exclude: vec!["admin".into(), "beta".into()],
        }));
        registry.set_filter(TagFilter {
            include: vec!["public".into()],
            exclude: Vec::new(),
        });
        assert_eq!(listed(&registry.snapshot(), None), r#"{"items":["c","d"]}"#);
    }

    #[test]
    fn session_views_are_paged_like_the_default_one() {
        let registry = registry(&["a", "b:x", "c:x"]);
        registry.set_page_size(1);
        let rules = Visibility::default()
            .with(crate::visibility::Selector::tag("x"), false)
            .unwrap();
        let snapshot = registry.snapshot();
        assert_eq!(listed(&snapshot, Some(&rules)), r#"{"items":["a"]}"#);
        let cursor = crate::cursor::encode(1);
        assert_eq!(
            snapshot
                .page(Some(&cursor), Some(&rules), None)
                .unwrap_err()
                .code,
            -32602
        );
        assert!(snapshot.page(Some(&cursor), None, None).is_ok());
    }
}
