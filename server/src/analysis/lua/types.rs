//! What the API definition says about a value: the small type lattice the Lua analysis follows
//! through locals and member chains. Anything the definition does not pin down is `Unknown`,
//! because a guess would turn into false diagnostics.

use llmspell_runtime::definition::{
    ApiDefinition, Member, MemberKind, TypeDef, TypeExpr, TypeKind,
};

pub fn def() -> &'static ApiDefinition {
    ApiDefinition::get()
}

/// The value an expression evaluates to, as far as the analysis knows.
#[derive(Debug, Clone, Copy)]
pub enum Val {
    Unknown,
    /// A value of a named type of the definition (`AgentApi` for the global `Agent`, `Agent`
    /// for what `Agent.create` returns, `AgentResult`...).
    Type(&'static TypeDef),
    /// A standard-library table (`string`, `math`).
    StdTable(&'static str),
    /// A member reached through `.` or `:`, not yet called.
    Member {
        owner: &'static TypeDef,
        member: &'static Member,
        sep: char,
    },
}

impl Val {
    /// For a member, its owner type's and its own name (`("AgentApi", "get")`).
    pub fn member_names(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Val::Member { owner, member, .. } => Some((&owner.name, &member.name)),
            _ => None,
        }
    }
}

/// The named type a type expression denotes, when there is exactly one: `Agent | nil` is an
/// Agent wherever it is usable at all; `string | Tool` is not known.
pub fn named(ty: &TypeExpr) -> Option<&'static TypeDef> {
    match ty {
        TypeExpr::Named(name) => def().type_def(name),
        TypeExpr::Union(items) => {
            let mut non_nil = items.iter().filter(|t| !matches!(t, TypeExpr::Nil));
            match (non_nil.next(), non_nil.next()) {
                (Some(only), None) => named(only),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The table type a `{ ... }` written where `ty` is expected has: the one table-kind named
/// type of a union (`string | AgentRequest` → AgentRequest, since a table is not a string).
pub fn table_shape(ty: &TypeExpr) -> Option<&'static TypeDef> {
    match ty {
        TypeExpr::Named(name) => def()
            .type_def(name)
            .filter(|t| t.kind == TypeKind::Table && !t.fields.is_empty()),
        TypeExpr::Union(items) => {
            let mut shapes = items.iter().filter_map(table_shape);
            match (shapes.next(), shapes.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        }
        _ => None,
    }
}

/// How a type is called in messages: the global's name for a namespace (`Agent`, not
/// `AgentApi`), the type's own name otherwise.
pub fn display_name(ty: &TypeDef) -> &str {
    if ty.kind == TypeKind::Namespace
        && let Some(g) = def()
            .globals
            .iter()
            .find(|g| matches!(&g.ty, Some(TypeExpr::Named(n)) if *n == ty.name))
    {
        return &g.name;
    }
    &ty.name
}

/// Whether the definition lists every member of values of this type, so a name it lacks is
/// surely a mistake. A table type without fields (`AgentStream`) is opaque, not empty.
pub fn is_closed(ty: &TypeDef) -> bool {
    match ty.kind {
        TypeKind::Namespace | TypeKind::Object => !ty.members.is_empty(),
        TypeKind::Table => !ty.fields.is_empty(),
    }
}

/// `receiver.name` or `receiver:name`: the value it reaches. Unknown names give `Unknown`
/// (the unknown-member rule reports them).
pub fn member_of(receiver: Val, name: &str, sep: char) -> Val {
    let Val::Type(ty) = receiver else {
        return Val::Unknown;
    };
    match ty.kind {
        TypeKind::Namespace | TypeKind::Object => match ty.member(name) {
            Some(m) if m.kind == MemberKind::Field => {
                m.ty.as_ref()
                    .and_then(named)
                    .map_or(Val::Unknown, Val::Type)
            }
            Some(m) => Val::Member {
                owner: ty,
                member: m,
                sep,
            },
            None => Val::Unknown,
        },
        TypeKind::Table => ty
            .field(name)
            .and_then(|f| named(&f.ty))
            .map_or(Val::Unknown, Val::Type),
    }
}

/// Calling a value: only a member called in its own style has a known result, so a wrong
/// call (reported elsewhere) does not also produce a misleading type downstream.
pub fn call(callee: Val) -> Val {
    match callee {
        Val::Member { member, sep, .. } if member.kind.lua_separator() == sep => member
            .returns
            .as_ref()
            .and_then(named)
            .map_or(Val::Unknown, Val::Type),
        _ => Val::Unknown,
    }
}

/// `Agent.create(config: AgentConfig) -> Agent`, for completion details.
pub fn signature(owner: &TypeDef, member: &Member) -> String {
    if member.kind == MemberKind::Field {
        let ty = member
            .ty
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        return format!("{}.{}: {ty}", display_name(owner), member.name);
    }
    let params: Vec<String> = member
        .params
        .iter()
        .map(|p| {
            let opt = if p.optional { "?" } else { "" };
            let dots = if p.variadic { "..." } else { "" };
            format!("{dots}{}{opt}: {}", p.name, p.ty)
        })
        .collect();
    let ret = match (&member.yields, &member.returns) {
        (Some(y), _) => format!(" -> iterator<{y}>"),
        (None, Some(r)) => format!(" -> {r}"),
        (None, None) => String::new(),
    };
    format!(
        "{}{}{}({}){ret}",
        display_name(owner),
        member.kind.lua_separator(),
        member.name,
        params.join(", ")
    )
}

/// Markdown documentation: the doc text, then the Lua example.
pub fn documentation(doc: &str, example: Option<&str>) -> Option<String> {
    let mut out = doc.trim().to_owned();
    if let Some(ex) = example {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str("```lua\n");
        out.push_str(ex.trim());
        out.push_str("\n```");
    }
    (!out.is_empty()).then_some(out)
}
