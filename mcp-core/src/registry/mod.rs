//! What a server serves: tools, resources, resource templates and prompts.
//!
//! Each kind is a list of handlers (small traits the macros implement, or you do by hand) kept
//! in one generic registry: metadata is computed once at registration, and the list pages are
//! serialized once and cached until the list changes (add, remove, enable, disable).

pub mod prompt;
pub mod resource;
pub mod tool;
pub mod uri_template;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use arc_swap::ArcSwap;
use parking_lot::Mutex;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

use crate::error::McpError;

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
    /// How it is listed.
    type Definition: Serialize;
    /// The unique key (name or URI).
    fn key(&self) -> &str;
    /// The metadata, computed at registration.
    fn definition(&self) -> &Self::Definition;
    /// The error for a second entry with the same key.
    fn duplicate(key: &str) -> RegisterError;
}

/// An immutable snapshot of the enabled entries, with the list pages serialized once.
pub(crate) struct Snapshot<E> {
    items: Vec<E>,
    by_key: HashMap<Box<str>, usize>,
    pages: Vec<Box<RawValue>>,
}

struct Page<'a, E: Entry> {
    items: &'a [E],
    next_cursor: Option<String>,
}

impl<E: Entry> Serialize for Page<'_, E> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Items<'a, E>(&'a [E]);
        impl<E: Entry> Serialize for Items<'_, E> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map(Entry::definition))
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

impl<E: Entry> Snapshot<E> {
    fn build(items: Vec<E>, page_size: usize) -> Self {
        let by_key = items
            .iter()
            .enumerate()
            .map(|(i, e)| (Box::from(e.key()), i))
            .collect();
        let chunks: Vec<&[E]> = if items.is_empty() {
            vec![&[]]
        } else {
            items.chunks(page_size.max(1)).collect()
        };
        let last = chunks.len() - 1;
        let pages = chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let page = Page {
                    items: chunk,
                    next_cursor: (i < last).then(|| crate::cursor::encode(i + 1)),
                };
                serde_json::value::to_raw_value(&page).expect("definitions serialize")
            })
            .collect();
        Self {
            items,
            by_key,
            pages,
        }
    }

    /// The entry with this key.
    pub(crate) fn get(&self, key: &str) -> Option<&E> {
        self.by_key.get(key).map(|&i| &self.items[i])
    }

    /// The entries, in registration order.
    pub(crate) fn iter(&self) -> std::slice::Iter<'_, E> {
        self.items.iter()
    }

    /// The list page a cursor points to; a cursor we did not hand out is `-32602`.
    pub(crate) fn page(&self, cursor: Option<&str>) -> Result<&RawValue, McpError> {
        let index = match cursor {
            None => 0,
            Some(c) => crate::cursor::decode(c)
                .filter(|&i| i < self.pages.len())
                .ok_or_else(|| {
                    McpError::invalid_params(format!(
                        "invalid cursor `{c}`: pass a `nextCursor` from a previous page"
                    ))
                })?,
        };
        Ok(&self.pages[index])
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
    page_size: AtomicUsize,
}

impl<E: Entry> Default for Registry<E> {
    fn default() -> Self {
        Self {
            slots: Mutex::default(),
            current: ArcSwap::from_pointee(Snapshot::build(Vec::new(), usize::MAX)),
            stale: AtomicBool::new(false),
            page_size: AtomicUsize::new(usize::MAX),
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

    /// Whether anything is registered, enabled or not.
    pub(crate) fn has_entries(&self) -> bool {
        !self.slots.lock().is_empty()
    }

    /// Whether any registered entry satisfies `f`.
    pub(crate) fn any(&self, f: impl Fn(&E) -> bool) -> bool {
        self.slots.lock().iter().any(|s| f(&s.entry))
    }

    pub(crate) fn set_page_size(&self, size: usize) {
        self.page_size.store(size.max(1), Ordering::Relaxed);
        self.stale.store(true, Ordering::Release);
    }

    /// The enabled entries, with their pages.
    pub(crate) fn snapshot(&self) -> Arc<Snapshot<E>> {
        if self.stale.load(Ordering::Acquire) {
            let slots = self.slots.lock();
            if self.stale.swap(false, Ordering::AcqRel) {
                let items = slots
                    .iter()
                    .filter(|s| s.enabled)
                    .map(|s| s.entry.clone())
                    .collect();
                let set = Snapshot::build(items, self.page_size.load(Ordering::Relaxed));
                self.current.store(Arc::new(set));
            }
        }
        self.current.load_full()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    struct Item(String);

    impl Entry for Item {
        const LIST_KEY: &'static str = "items";
        type Definition = String;
        fn key(&self) -> &str {
            &self.0
        }
        fn definition(&self) -> &String {
            &self.0
        }
        fn duplicate(key: &str) -> RegisterError {
            RegisterError::DuplicatePrompt(key.into())
        }
    }

    fn registry(names: &[&str]) -> Registry<Item> {
        let registry = Registry::default();
        for name in names {
            registry.insert(Item((*name).into())).unwrap();
        }
        registry
    }

    #[test]
    fn pages_follow_cursors_to_the_end() {
        let registry = registry(&["a", "b", "c"]);
        registry.set_page_size(2);
        let snapshot = registry.snapshot();
        let first: serde_json::Value =
            serde_json::from_str(snapshot.page(None).unwrap().get()).unwrap();
        assert_eq!(first["items"], serde_json::json!(["a", "b"]));
        let cursor = first["nextCursor"].as_str().unwrap();
        let second: serde_json::Value =
            serde_json::from_str(snapshot.page(Some(cursor)).unwrap().get()).unwrap();
        assert_eq!(second, serde_json::json!({"items": ["c"]}));
        assert_eq!(snapshot.page(Some("bogus")).unwrap_err().code, -32602);
        assert_eq!(
            snapshot
                .page(Some(&crate::cursor::encode(9)))
                .unwrap_err()
                .code,
            -32602
        );
    }

    #[test]
    fn changes_invalidate_the_snapshot() {
        let registry = registry(&["a", "b"]);
        assert_eq!(
            registry.snapshot().page(None).unwrap().get(),
            r#"{"items":["a","b"]}"#
        );
        assert!(registry.set_enabled("a", false));
        assert_eq!(
            registry.snapshot().page(None).unwrap().get(),
            r#"{"items":["b"]}"#
        );
        assert!(registry.snapshot().get("a").is_none());
        assert!(registry.has_entries());
        assert!(registry.remove("b"));
        assert!(!registry.remove("b"));
        assert_eq!(
            registry.snapshot().page(None).unwrap().get(),
            r#"{"items":[]}"#
        );
        assert!(registry.set_enabled("a", true));
        assert!(registry.snapshot().get("a").is_some());
    }

    #[test]
    fn duplicates_are_refused() {
        let registry = registry(&["a"]);
        assert!(registry.insert(Item("a".into())).is_err());
    }
}
