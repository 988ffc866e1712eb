//! What `#[tool]` reads: the function (body kept as tokens) and the typed model of a tool.

use proc_macro2::{Delimiter, Group, TokenStream};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{
    Attribute, Expr, ExprLit, FnArg, Lit, LitStr, Meta, Pat, PatType, Receiver, ReturnType,
    Signature, Type, Visibility,
};

use super::attr::{self, ArgAttr, ToolAttr};
use crate::ctxt::Ctxt;

/// A function whose body stays tokens: it is emitted as written and never re-parsed
/// (tracing-attributes' `MaybeItemFn`).
#[derive(Clone)]
pub(crate) struct ItemFn {
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    /// The braced body.
    pub(crate) body: TokenStream,
}

impl Parse for ItemFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let body: Group = input.parse()?;
        if body.delimiter() != Delimiter::Brace || !input.is_empty() {
            return Err(input.error("expected a function body"));
        }
        Ok(Self {
            attrs,
            vis,
            sig,
            body: body.into_token_stream(),
        })
    }
}

impl ToTokens for ItemFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Self {
            attrs,
            vis,
            sig,
            body,
        } = self;
        tokens.extend(quote!(#(#attrs)* #vis #sig #body));
    }
}

impl ItemFn {
    /// Removes our `#[arg]` attributes from the parameters, returning them per parameter.
    pub(crate) fn take_arg_attrs(&mut self) -> Vec<Vec<Attribute>> {
        let mut taken = Vec::new();
        for input in &mut self.sig.inputs {
            if let FnArg::Typed(pat_type) = input {
                let (ours, theirs) = std::mem::take(&mut pat_type.attrs)
                    .into_iter()
                    .partition(attr::is_arg);
                pat_type.attrs = theirs;
                taken.push(ours);
            }
        }
        taken
    }

    /// The `#[doc]`, `#[cfg]` and other attributes, in that order.
    pub(crate) fn split_attrs(&self) -> (Vec<&Attribute>, Vec<&Attribute>, Vec<&Attribute>) {
        let (docs, rest): (Vec<_>, Vec<_>) =
            self.attrs.iter().partition(|a| a.path().is_ident("doc"));
        let (cfgs, others) = rest.into_iter().partition(|a| a.path().is_ident("cfg"));
        (docs, cfgs, others)
    }
}

/// One `#[tool]` function or method, ready to validate and expand.
pub(crate) struct Tool {
    /// The function, with `#[arg]` attributes removed.
    pub(crate) item: ItemFn,
    pub(crate) attr: ToolAttr,
    /// The tool's name: `#[tool(name)]`, else the function's name.
    pub(crate) name: String,
    /// An expression for the description; `None` when there is none.
    pub(crate) description: Option<TokenStream>,
    pub(crate) receiver: Option<Receiver>,
    pub(crate) params: Vec<Param>,
    /// The declared return type (`()` when there is none).
    pub(crate) output: Type,
}

/// One parameter: an argument or an injected value (the trait system decides which).
pub(crate) struct Param {
    /// The property name: `#[arg(rename)]`, the identifier, or `""` for a destructuring pattern.
    pub(crate) name: String,
    pub(crate) ty: Type,
    pub(crate) description: Option<LitStr>,
    /// `#[arg(header = "...")]`: the `x-mcp-header` name.
    pub(crate) header: Option<LitStr>,
    /// The parameter as written, for error spans.
    pub(crate) original: PatType,
}

impl Tool {
    /// Builds the model, reporting attribute errors to `cx`.
    pub(crate) fn new(cx: &Ctxt, mut item: ItemFn, attr: ToolAttr) -> Self {
        let FnParts {
            params,
            name,
            description,
            output,
        } = FnParts::new(cx, &mut item, attr.name.as_ref(), attr.description.as_ref());
        let receiver = item.sig.receiver().cloned();
        Self {
            item,
            attr,
            name,
            description,
            receiver,
            params,
            output,
        }
    }
}

/// What `#[tool]`, `#[resource]` and `#[prompt]` read off a function the same way.
pub(crate) struct FnParts {
    pub(crate) params: Vec<Param>,
    /// The `name = "..."` given, else the function's name.
    pub(crate) name: String,
    /// A non-blank `description = "..."`, else the doc comment.
    pub(crate) description: Option<TokenStream>,
    /// The declared return type (`()` when there is none).
    pub(crate) output: Type,
}

impl FnParts {
    /// Takes the `#[arg]` attributes off `item`'s parameters, reporting their errors to `cx`.
    pub(crate) fn new(
        cx: &Ctxt,
        item: &mut ItemFn,
        name: Option<&LitStr>,
        description: Option<&LitStr>,
    ) -> Self {
        let arg_attrs = item.take_arg_attrs();
        let params = item
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Typed(pat_type) => Some(pat_type),
                FnArg::Receiver(_) => None,
            })
            .zip(arg_attrs)
            .map(|(pat_type, attrs)| Param::new(cx, pat_type, &attrs))
            .collect();
        let name = name.map_or_else(|| item.sig.ident.unraw().to_string(), LitStr::value);
        let description = match description {
            Some(text) => (!text.value().trim().is_empty()).then(|| text.to_token_stream()),
            None => doc_description(&item.attrs),
        };
        let output = match &item.sig.output {
            // Where `-> T` would go, for rustc's "cannot return `()`".
            ReturnType::Default => {
                syn::parse_quote_spanned!(item.sig.paren_token.span.close()=> ())
            }
            ReturnType::Type(_, ty) => (**ty).clone(),
        };
        Self {
            params,
            name,
            description,
            output,
        }
    }
}

impl Param {
    pub(crate) fn new(cx: &Ctxt, pat_type: &PatType, arg_attrs: &[Attribute]) -> Self {
        let arg = ArgAttr::parse(cx, arg_attrs);
        let name = match (&arg.rename, &*pat_type.pat) {
            (Some(rename), _) => rename.value(),
            (None, Pat::Ident(pat)) => pat.ident.unraw().to_string(),
            (None, _) => String::new(),
        };
        Self {
            name,
            ty: (*pat_type.ty).clone(),
            description: arg.description,
            header: arg.header,
            original: pat_type.clone(),
        }
    }
}

/// The description from doc comments: lines joined with `\n`, one leading space stripped per
/// line, trimmed. `#[doc = include_str!(..)]` and other macros are kept, joined by `concat!`.
pub(crate) fn doc_description(attrs: &[Attribute]) -> Option<TokenStream> {
    let docs: Vec<&Expr> = attrs
        .iter()
        .filter_map(|a| match &a.meta {
            Meta::NameValue(nv) if nv.path.is_ident("doc") => Some(&nv.value),
            _ => None,
        })
        .collect();
    let texts: Option<Vec<String>> = docs.iter().map(|expr| doc_text(expr)).collect();
    if let Some(texts) = texts {
        let text = texts.join("\n").trim().to_owned();
        return (!text.is_empty()).then(|| quote!(#text));
    }
    let mut parts = Vec::new();
    for (i, expr) in docs.iter().enumerate() {
        if i > 0 {
            parts.push(quote!("\n"));
        }
        parts.push(doc_text(expr).map_or_else(|| expr.to_token_stream(), |text| quote!(#text)));
    }
    Some(quote!(::core::concat!(#(#parts),*)))
}

fn doc_text(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) => Some(strip_lines(&lit.value())),
        _ => None,
    }
}

fn strip_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}
