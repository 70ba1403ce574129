//! Generates ui/src/lib/bindings/commands.ts from the `#[tauri::command]` functions themselves:
//! each command's name, its argument keys and types, and what it returns. The UI's one `call`
//! takes its types from there, so a renamed argument, a changed return type or a mistyped command
//! name fails the UI's type check instead of a click. Arguments cross in the core's casing
//! (snake_case): every command says `rename_all = "snake_case"`, and this test refuses one that
//! does not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::{Attribute, FnArg, GenericArgument, Item, Pat, PathArguments, ReturnType, Type};

use crate::bindings::{assert_generated_file_current, ipc_types, IpcType};

/// The command modules' sources, read at compile time so that the test sees every edit.
const COMMAND_SOURCES: [(&str, &str); 11] = [
    ("accounts.rs", include_str!("commands/accounts.rs")),
    ("app.rs", include_str!("commands/app.rs")),
    ("audit.rs", include_str!("commands/audit.rs")),
    ("emergency.rs", include_str!("commands/emergency.rs")),
    ("files.rs", include_str!("commands/files.rs")),
    ("records.rs", include_str!("commands/records.rs")),
    ("referrals.rs", include_str!("commands/referrals.rs")),
    ("reports.rs", include_str!("commands/reports.rs")),
    ("settings.rs", include_str!("commands/settings.rs")),
    ("sync.rs", include_str!("commands/sync.rs")),
    ("vault.rs", include_str!("commands/vault.rs")),
];

/// Parameters Tauri fills in itself; the UI never sends them.
const INJECTED: [&str; 5] = ["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

/// One command as the UI sees it.
#[derive(Debug)]
pub(crate) struct Command {
    docs: Vec<String>,
    /// Argument keys and TypeScript types, in the function's order.
    args: Vec<(String, String)>,
    returns: String,
}

/// Every command in src/commands/, by name.
pub(crate) fn commands() -> BTreeMap<String, Command> {
    commands_in(&COMMAND_SOURCES)
}

/// Every command in `sources` (file name, text), by name.
fn commands_in(sources: &[(&str, &str)]) -> BTreeMap<String, Command> {
    let types = ipc_types();
    let known: BTreeMap<&str, &IpcType> = types.iter().map(|t| (t.rust_name, t)).collect();
    let mut found = BTreeMap::new();
    for &(file, source) in sources {
        let parsed = syn::parse_file(source).unwrap_or_else(|e| panic!("{file}: {e}"));
        for item in parsed.items {
            let Item::Fn(function) = item else { continue };
            let Some(attribute) = function.attrs.iter().find(|a| is_command(a)) else {
                continue;
            };
            let name = function.sig.ident.to_string();
            let options = attribute
                .meta
                .require_list()
                .map(|list| list.tokens.to_string())
                .unwrap_or_default();
            assert!(
                options.contains("rename_all = \"snake_case\""),
                "{file}: command {name} must say #[tauri::command(rename_all = \"snake_case\")]: \
                 the UI sends every argument key in snake_case"
            );
            let translate = |ty: &Type| ts_type(ty, &known, &name);
            let args = function
                .sig
                .inputs
                .iter()
                .filter_map(|input| match input {
                    FnArg::Typed(typed) if !is_injected(&typed.ty) => Some(typed),
                    _ => None,
                })
                .map(|typed| {
                    let Pat::Ident(key) = typed.pat.as_ref() else {
                        panic!("{file}: command {name} has an argument that is not a plain name");
                    };
                    (key.ident.to_string(), translate(&typed.ty))
                })
                .collect();
            let returns = match &function.sig.output {
                ReturnType::Default => "null".to_owned(),
                ReturnType::Type(_, ty) => translate(ty),
            };
            let command = Command {
                docs: docs(&function.attrs),
                args,
                returns,
            };
            assert!(
                found.insert(name.clone(), command).is_none(),
                "two commands are named {name}"
            );
        }
    }
    found
}

/// The TypeScript files commands.ts imports from, by type name.
fn imports(commands: &BTreeMap<String, Command>) -> BTreeMap<String, String> {
    let types = ipc_types();
    let text: String = commands
        .values()
        .flat_map(|command| {
            command
                .args
                .iter()
                .map(|(_, ty)| ty.as_str())
                .chain([command.returns.as_str()])
        })
        .collect::<Vec<_>>()
        .join(" ");
    let words: BTreeSet<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .collect();
    types
        .iter()
        .filter(|t| words.contains(t.ts_name.as_str()))
        .map(|t| {
            let module = t.file.with_extension("").display().to_string();
            (t.ts_name.clone(), module)
        })
        .collect()
}

fn is_command(attribute: &Attribute) -> bool {
    let segments: Vec<String> = attribute
        .path()
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    segments == ["tauri", "command"]
}

fn is_injected(ty: &Type) -> bool {
    matches!(ty, Type::Path(path)
        if path.path.segments.last().is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())))
}

fn docs(attributes: &[Attribute]) -> Vec<String> {
    attributes
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(value) => match &value.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The TypeScript for a Rust type in a command's signature, as serde_json carries it.
fn ts_type(ty: &Type, known: &BTreeMap<&str, &IpcType>, command: &str) -> String {
    let path = match ty {
        Type::Reference(reference) => return ts_type(&reference.elem, known, command),
        Type::Tuple(tuple) if tuple.elems.is_empty() => return "null".to_owned(),
        Type::Path(path) => path,
        _ => panic!("command {command}: no TypeScript for a type of this shape"),
    };
    let last = path.path.segments.last().expect("a type has a name");
    let generics: Vec<String> = match &last.arguments {
        PathArguments::AngleBracketed(arguments) => arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                GenericArgument::Type(inner) => Some(ts_type(inner, known, command)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let name = last.ident.to_string();
    match (name.as_str(), generics.as_slice()) {
        ("String" | "str", []) => "string".to_owned(),
        ("bool", []) => "boolean".to_owned(),
        (
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32"
            | "f64",
            [],
        ) => "number".to_owned(),
        // serde_json's own value: whatever JSON the core checks against its field tables.
        ("Value", []) => "unknown".to_owned(),
        ("Option", [inner]) => format!("{inner} | null"),
        ("Vec", [inner]) => format!("Array<{inner}>"),
        ("Map" | "BTreeMap" | "HashMap", [key, value]) => format!("{{ [key in {key}]?: {value} }}"),
        ("Result", [ok, error]) => {
            assert_eq!(
                error, "IpcError",
                "command {command} must fail with IpcError, the one error shape the UI reads"
            );
            ok.clone()
        }
        _ => {
            let Some(ipc_type) = known.get(name.as_str()) else {
                panic!(
                    "command {command} uses {name}, which is not in bindings::ipc_types(): add it \
                     there so the UI has its TypeScript"
                );
            };
            if generics.is_empty() {
                ipc_type.ts_name.clone()
            } else {
                format!("{}<{}>", ipc_type.ts_name, generics.join(", "))
            }
        }
    }
}

/// commands.ts as it should be.
pub(crate) fn render(commands: &BTreeMap<String, Command>) -> String {
    let mut out = String::from(
        "// Generated by src-tauri/src/command_bindings.rs from the #[tauri::command] functions in\n\
         // src-tauri/src/commands/. Do not edit: run `UPDATE_BINDINGS=1 cargo test -p hearth-desktop`.\n",
    );
    for (name, module) in imports(commands) {
        out.push_str(&format!("import type {{ {name} }} from './{module}';\n"));
    }
    out.push_str(
        "\n/** Every command the desktop shell handles: its arguments (keys as Rust names them) and \
         what it returns. */\nexport type Commands = {\n",
    );
    for (name, command) in commands {
        if !command.docs.is_empty() {
            out.push_str("  /**\n");
            for line in &command.docs {
                out.push_str(format!("   * {line}").trim_end());
                out.push('\n');
            }
            out.push_str("   */\n");
        }
        let args: Vec<String> = command
            .args
            .iter()
            .map(|(key, ty)| format!("{key}: {ty}"))
            .collect();
        let args = if args.is_empty() {
            "Record<never, never>".to_owned()
        } else {
            format!("{{ {} }}", args.join("; "))
        };
        out.push_str(&format!(
            "  {name}: {{\n    args: {args};\n    returns: {};\n  }};\n",
            command.returns
        ));
    }
    out.push_str("};\n\n/** A command's name. */\nexport type CommandName = keyof Commands;\n");
    out
}

#[test]
fn the_command_list_is_current() {
    let commands = commands();
    assert!(
        commands.len() > 40,
        "the commands were not read: {commands:?}"
    );
    assert_generated_file_current(Path::new("commands.ts"), &render(&commands));
}

#[test]
fn a_signature_becomes_its_typescript() {
    let source = r#"
        /// Saves it.
        #[tauri::command(async, rename_all = "snake_case")]
        pub fn save(
            state: State<'_, AppState>,
            case_id: String,
            fields: Map<String, Value>,
            limit: Option<u32>,
        ) -> Result<Vec<Record<PartnerFields>>, IpcError> {
            todo!()
        }
        #[tauri::command(rename_all = "snake_case")]
        pub fn forget(state: State<'_, AppState>) {}
    "#;
    let commands = commands_in(&[("test.rs", source)]);
    let rendered = render(&commands);
    assert!(
        rendered.contains(
            "  /**\n   * Saves it.\n   */\n  save: {\n    args: { case_id: string; fields: { [key in \
             string]?: unknown }; limit: number | null };\n    returns: \
             Array<HearthRecord<PartnerFields>>;\n  };\n"
        ),
        "{rendered}"
    );
    assert!(
        rendered
            .contains("  forget: {\n    args: Record<never, never>;\n    returns: null;\n  };\n"),
        "{rendered}"
    );
    assert!(rendered.contains("import type { HearthRecord } from './HearthRecord';\n"));
    assert!(!rendered.contains("AppState"), "{rendered}");
}

#[test]
#[should_panic(expected = "must say #[tauri::command(rename_all = \"snake_case\")]")]
fn a_command_in_another_casing_is_refused() {
    let source = r#"
        #[tauri::command(async)]
        pub fn unlock(account_name: String) -> Result<(), IpcError> { todo!() }
    "#;
    commands_in(&[("test.rs", source)]);
}

#[test]
#[should_panic(expected = "uses Secret, which is not in bindings::ipc_types()")]
fn a_type_without_typescript_is_refused() {
    let source = r#"
        #[tauri::command(rename_all = "snake_case")]
        pub fn leak() -> Secret { todo!() }
    "#;
    commands_in(&[("test.rs", source)]);
}

#[test]
fn every_command_module_is_read() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut on_disk: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "mod.rs")
        .collect();
    on_disk.sort();
    let read: Vec<&str> = COMMAND_SOURCES.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        on_disk, read,
        "COMMAND_SOURCES must list every file in src/commands/"
    );
}
