//! What `#[tools]` reads: the impl block and its `#[tool]` methods.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, ImplItem, ItemImpl, Path, Type};

use crate::ctxt::Ctxt;
use crate::tool::ast::{ItemFn, Tool};
use crate::tool::attr::{self, ToolAttr};

/// `#[tools(crate = path)]`.
#[derive(Default)]
pub(crate) struct ToolsAttr {
    pub(crate) krate: Option<Path>,
}

impl ToolsAttr {
    pub(crate) fn parse(cx: &Ctxt, tokens: TokenStream) -> Self {
        let mut krate = None;
        for (_, meta) in attr::keyed(cx, "#[tools]", &["crate"], attr::metas(cx, tokens)) {
            krate = attr::crate_path(cx, &meta);
        }
        Self { krate }
    }
}

/// The impl block, with `#[tool]` and `#[arg]` removed, and its tools.
pub(crate) struct ToolBlock {
    pub(crate) item: ItemImpl,
    pub(crate) tools: Vec<Tool>,
}

impl ToolBlock {
    pub(crate) fn new(cx: &Ctxt, mut item: ItemImpl) -> Self {
        let self_ty = (*item.self_ty).clone();
        let mut tools = Vec::new();
        for impl_item in &mut item.items {
            let ImplItem::Fn(method) = impl_item else {
                if let Some(attrs) = attrs_mut(impl_item) {
                    for misplaced in take_tool_attrs(attrs) {
                        cx.error_spanned_by(
                            misplaced,
                            "#[tool] goes on a method (`fn`) of the impl block",
                        );
                    }
                }
                continue;
            };
            let ours = take_tool_attrs(&mut method.attrs);
            let Some((first, extra)) = ours.split_first() else {
                continue;
            };
            for attr in extra {
                cx.error_spanned_by(
                    attr,
                    "#[tool] is given twice on this method: merge them into one #[tool(..)]",
                );
            }
            let attr = ToolAttr::from_attribute(cx, first);
            if let Some(krate) = &attr.krate {
                cx.error_spanned_by(
                    krate,
                    "set `crate` once, on the block: #[tools(crate = path)], not on a method",
                );
            }
            let item_fn = ItemFn {
                attrs: method.attrs.clone(),
                vis: method.vis.clone(),
                sig: method.sig.clone(),
                body: method.block.to_token_stream(),
            };
            let mut tool = Tool::new(cx, item_fn, attr);
            method.sig = tool.item.sig.clone();
            replace_self(&mut tool, &self_ty);
            tools.push(tool);
        }
        Self { item, tools }
    }
}

fn attrs_mut(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    match item {
        ImplItem::Const(c) => Some(&mut c.attrs),
        ImplItem::Type(t) => Some(&mut t.attrs),
        ImplItem::Macro(m) => Some(&mut m.attrs),
        _ => None,
    }
}

fn take_tool_attrs(attrs: &mut Vec<Attribute>) -> Vec<Attribute> {
    let (ours, theirs) = std::mem::take(attrs).into_iter().partition(attr::is_tool);
    *attrs = theirs;
    ours
}

/// The generated handlers live outside the impl block, where `Self` means something else:
/// spell the type out in the parameter and return types.
fn replace_self(tool: &mut Tool, self_ty: &Type) {
    struct ReplaceSelf<'a>(&'a Type);
    impl VisitMut for ReplaceSelf<'_> {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Path(path) = ty {
                if path.qself.is_none() && path.path.is_ident("Self") {
                    *ty = self.0.clone();
                    return;
                }
            }
            visit_mut::visit_type_mut(self, ty);
        }
    }
    let mut visitor = ReplaceSelf(self_ty);
    for param in &mut tool.params {
        visitor.visit_type_mut(&mut param.ty);
    }
    visitor.visit_type_mut(&mut tool.output);
}
