//! The rules of a `#[tools]` block: an inherent, non-generic impl with uniquely named tools.

use quote::ToTokens;

use super::ast::ToolBlock;
use crate::ctxt::Ctxt;
use crate::tool::valid::{self, Site};

/// Every rule the block breaks, reported to `cx`.
pub(crate) fn block(cx: &Ctxt, block: &ToolBlock) {
    let item = &block.item;
    if let Some((_, path, _)) = &item.trait_ {
        cx.error_spanned_by(
            path,
            "#[tools] goes on an inherent impl block: move the tools into `impl MyType { .. }`, not a trait impl",
        );
    }
    if !item.generics.params.is_empty() || item.generics.where_clause.is_some() {
        cx.error_spanned_by(
            &item.generics,
            "#[tools] cannot be used on a generic impl block: write it for one concrete type, e.g. `impl MyType<u64> { .. }`",
        );
    }
    let mut names: Vec<&str> = Vec::new();
    for tool in &block.tools {
        valid::tool(cx, tool, Site::Method);
        if names.contains(&tool.name.as_str()) {
            let span = tool.attr.name.as_ref().map_or_else(
                || tool.item.sig.ident.to_token_stream(),
                ToTokens::to_token_stream,
            );
            cx.error_spanned_by(
                span,
                format!(
                    "a tool named `{}` is already defined in this block: give one of them another name with #[tool(name = \"...\")]",
                    tool.name
                ),
            );
        }
        names.push(&tool.name);
    }
}
