//! Content-hashed build output: the names `make site` gives the script, the WebAssembly and the
//! stylesheet (`onboard.<hash>.<ext>`), as listed in its `hash.txt` (`css: 0123abcd...`).

/// The hash `hash.txt` gives for `ext` (`js`, `wasm`, `css`).
pub fn hash_of(hash_txt: &str, ext: &str) -> Option<String> {
    hash_txt.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        let v = v.trim();
        (k.trim() == ext && is_hash(v)).then(|| v.to_string())
    })
}

fn is_hash(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether a request path names a content-hashed file (`/pkg/onboard.0123456789abcdef.wasm`, a
/// lazy page's `/pkg/chunk_20.0123456789abcdef.wasm`): such a file never changes, so a browser
/// may keep it for good.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let mut parts = name.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(stem), Some(hash), Some(ext), None)
            if !stem.is_empty() && is_hash(hash) && matches!(ext, "js" | "wasm" | "css")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_hashes_make_site_writes() {
        let txt = "js: 0123456789abcdef\nwasm: fedcba9876543210\ncss: 00112233aabbccdd\n";
        assert_eq!(hash_of(txt, "css").as_deref(), Some("00112233aabbccdd"));
        assert_eq!(hash_of(txt, "wasm").as_deref(), Some("fedcba9876543210"));
        assert_eq!(hash_of(txt, "png"), None);
        assert_eq!(hash_of("css: not-a-hash", "css"), None);
    }

    #[test]
    fn only_hashed_build_output_is_immutable() {
        for (path, hashed) in [
            ("/pkg/onboard.0123456789abcdef.wasm", true),
            ("/pkg/onboard.0123456789abcdef.js", true),
            ("/pkg/onboard.0123456789ABCDEF.css", true),
            // A lazy page's chunks and their loader (`make site` names them the same way).
            (
                "/pkg/split___users_route_view_1794.0123456789abcdef.wasm",
                true,
            ),
            ("/pkg/chunk_20.0123456789abcdef.wasm", true),
            ("/pkg/__wasm_split.0123456789abcdef.js", true),
            ("/pkg/chunk_20.wasm", false),
            ("/pkg/__wasm_split.js", false),
            ("/pkg/onboard.wasm", false),
            ("/pkg/onboard.css", false),
            ("/pkg/onboard.0123456789abcde.js", false),
            ("/pkg/onboard.0123456789abcdef.js.map", false),
            ("/pkg/.0123456789abcdef.js", false),
            ("/favicon.svg", false),
        ] {
            assert_eq!(is_content_hashed(path), hashed, "{path}");
        }
    }
}
