//! What the API definition says about a JavaScript value. It mirrors the Lua lattice
//! (`lua::types`, whose definition helpers it reuses) with one addition: a call of an `async`
//! member yields a Promise of its result, which only `await` (or `.then`) unwraps. In JS every
//! member is reached with `.`, so there is no call-style distinction.

use llmspell_runtime::definition::{Member, MemberKind, TypeDef, TypeKind};

pub use crate::analysis::lua::types::{def, display_name, documentation, is_closed, named};

#[derive(Debug, Clone, Copy)]
pub enum Val {
    Unknown,
    /// A value of a named type of the definition (`AgentApi` for `Agent`, `AgentResult`...).
    Type(&'static TypeDef),
    /// A member reached through `.`, not yet called.
    Member {
        owner: &'static TypeDef,
        member: &'static Member,
    },
    /// What an `async` member returns before `await`: a Promise of the type, when known.
    Promise(Option<&'static TypeDef>),
}

impl Val {
    /// For a member, its owner type's and its own name (`("AgentApi", "get")`).
    pub fn member_names(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Val::Member { owner, member } => Some((&owner.name, &member.name)),
            _ => None,
        }
    }
}

/// Members every Promise has: reading them is how a Promise is used correctly.
pub const PROMISE_MEMBERS: &[&str] = &["then", "catch", "finally"];

/// Members every JS object inherits; never "unknown" on a result object.
pub const OBJECT_MEMBERS: &[&str] = &[
    "constructor",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "toString",
    "valueOf",
    "__proto__",
];

/// `receiver.name`: the value it reaches.
pub fn member_of(receiver: Val, name: &str) -> Val {
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
            },
            None => Val::Unknown,
        },
        TypeKind::Table => ty
            .field(name)
            .and_then(|f| named(&f.ty))
            .map_or(Val::Unknown, Val::Type),
    }
}

/// Calling a value: an `async` member gives a Promise, a stream gives its (opaque) iterator.
pub fn call(callee: Val) -> Val {
    match callee {
        Val::Member { member, .. } => {
            let ret = member.returns.as_ref().and_then(named);
            if member.is_async {
                Val::Promise(ret)
            } else {
                ret.map_or(Val::Unknown, Val::Type)
            }
        }
        _ => Val::Unknown,
    }
}

/// `await v`: a Promise's result; anything else awaits to itself.
pub fn awaited(v: Val) -> Val {
    match v {
        Val::Promise(Some(t)) => Val::Type(t),
        Val::Promise(None) => Val::Unknown,
        other => other,
    }
}

/// `agent.execute(input: string | AgentRequest): Promise<AgentResult>`, for completion details.
pub fn signature(owner: &TypeDef, member: &Member) -> String {
    let owner_name = display_name(owner);
    if member.kind == MemberKind::Field {
        let ty = member
            .ty
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        return format!("{owner_name}.{}: {ty}", member.name);
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
        (Some(y), _) => format!(": AsyncIterable<{y}>"),
        (None, Some(r)) if member.is_async => format!(": Promise<{r}>"),
        (None, Some(r)) => format!(": {r}"),
        (None, None) => String::new(),
    };
    format!("{owner_name}.{}({}){ret}", member.name, params.join(", "))
}

/// Markdown documentation with the JS example.
pub fn member_doc(member: &Member) -> Option<String> {
    let mut out = member.doc.trim().to_owned();
    if let Some(ex) = member.example.js.as_deref() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str("```js\n");
        out.push_str(ex.trim());
        out.push_str("\n```");
    }
    (!out.is_empty()).then_some(out)
}
