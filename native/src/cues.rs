//! The name finder's cue phrases (`name_finder._Finder._cues`): after which words a name
//! stands, and of which kind. The table (`name_cues.CUES`) is handed over once, as a
//! `CueTable`; each call walks the text's words as the Python loop does.

use std::collections::{HashMap, HashSet};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

/// The separators between a cue and the name, as the regexes of name_cues (fullmatch).
#[derive(Clone, Copy)]
enum Sep {
    Greeting, // [ \t]*[,!]?[ \t]+
    Cue,      // [ \t]*[,:]?[ \t]+
    Title,    // \.?[ \t]+
    Att,      // \.?:?[ \t]+|[ \t]*/[ \t]*
    Slash,    // [ \t]*/[ \t]*
}

#[inline]
fn blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// blanks*, at most one of `punct`, blanks+ (the whole gap).
fn blanks_punct_blanks(gap: &[char], punct: &[char]) -> bool {
    let i = gap.iter().take_while(|&&c| blank(c)).count();
    if i == gap.len() {
        return i >= 1;
    }
    punct.contains(&gap[i]) && gap.len() > i + 1 && gap[i + 1..].iter().all(|&c| blank(c))
}

fn slash(gap: &[char]) -> bool {
    let i = gap.iter().take_while(|&&c| blank(c)).count();
    i < gap.len() && gap[i] == '/' && gap[i + 1..].iter().all(|&c| blank(c))
}

fn fullmatch(sep: Sep, gap: &[char]) -> bool {
    match sep {
        Sep::Greeting => blanks_punct_blanks(gap, &[',', '!']),
        Sep::Cue => blanks_punct_blanks(gap, &[',', ':']),
        Sep::Title => {
            let rest = if gap.first() == Some(&'.') {
                &gap[1..]
            } else {
                gap
            };
            !rest.is_empty() && rest.iter().all(|&c| blank(c))
        }
        Sep::Att => {
            let mut rest = gap;
            if rest.first() == Some(&'.') {
                rest = &rest[1..];
            }
            if rest.first() == Some(&':') {
                rest = &rest[1..];
            }
            (!rest.is_empty() && rest.iter().all(|&c| blank(c))) || slash(gap)
        }
        Sep::Slash => slash(gap),
    }
}

const GREETING: u8 = 0;
const INTRO: u8 = 1;
const INTRO_WEAK: u8 = 2;
const RELATION: u8 = 3;

struct Entry {
    rest: Vec<String>,
    kind: u8,
    sep: Sep,
}

/// name_cues.CUES, the kinds by number, and the word sets the loop needs.
#[pyclass(frozen)]
pub struct CueTable {
    entries: HashMap<String, Vec<Entry>>,
    kinds: Vec<Py<PyString>>,
    possessives: HashSet<String>,
    greet_words: HashSet<String>,
}

#[pymethods]
impl CueTable {
    /// entries: (first word, [(rest of the phrase, kind number, separator name)]) in the
    /// order to try them; kinds: the kind strings, by number: greeting, intro, intro-weak,
    /// relation, greeting-lower, intro-greeted, then any others.
    #[new]
    fn new(
        py: Python<'_>,
        entries: Vec<(String, Vec<(Vec<String>, u8, String)>)>,
        kinds: Vec<String>,
        possessives: Vec<String>,
        greet_words: Vec<String>,
    ) -> PyResult<Self> {
        let mut table = HashMap::new();
        for (first, list) in entries {
            let mut out = Vec::with_capacity(list.len());
            for (rest, kind, sep) in list {
                let sep = match sep.as_str() {
                    "greeting" => Sep::Greeting,
                    "cue" => Sep::Cue,
                    "title" => Sep::Title,
                    "att" => Sep::Att,
                    "slash" => Sep::Slash,
                    _ => return Err(PyValueError::new_err("unknown separator")),
                };
                if kind as usize >= kinds.len() {
                    return Err(PyValueError::new_err("unknown kind"));
                }
                out.push(Entry { rest, kind, sep });
            }
            table.insert(first, out);
        }
        if kinds.len() < 6 {
            return Err(PyValueError::new_err(
                "kinds: at least the six the loop names",
            ));
        }
        Ok(CueTable {
            entries: table,
            kinds: kinds
                .iter()
                .map(|k| PyString::new(py, k).unbind())
                .collect(),
            possessives: possessives.into_iter().collect(),
            greet_words: greet_words.into_iter().collect(),
        })
    }
}

const GREETING_LOWER: u8 = 4;
const INTRO_GREETED: u8 = 5;

/// Python's text[a:b] of a list of characters (empty when a > b).
fn sub(chars: &[char], a: usize, b: usize) -> &[char] {
    let b = b.min(chars.len());
    if a < b {
        &chars[a..b]
    } else {
        &[]
    }
}

/// `_Finder._cues`: [(start of the name's word, kind)] for the words (start, end, word) of
/// `text` and their casefolded keys; None when the text is not valid UTF-8.
#[pyfunction]
pub fn cues<'py>(
    py: Python<'py>,
    table: &CueTable,
    text: &Bound<'py, PyString>,
    words: &Bound<'py, PyList>,
    keys: &Bound<'py, PyList>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let s = match text.to_str() {
        Ok(s) => s,
        Err(_) => return Ok(None),
    };
    let n = keys.len();
    if words.len() != n {
        return Err(PyValueError::new_err("words and keys differ in length"));
    }
    let mut key_strs: Vec<Bound<'py, PyString>> = Vec::with_capacity(n);
    for k in keys.iter() {
        key_strs.push(k.downcast_into::<PyString>()?);
    }
    let mut key_refs: Vec<&str> = Vec::with_capacity(n);
    for k in &key_strs {
        match k.to_str() {
            Ok(v) => key_refs.push(v),
            Err(_) => return Ok(None),
        }
    }
    let mut chars: Option<Vec<char>> = None; // made on the first cue: most texts have few
    let mut spans: HashMap<usize, (usize, usize)> = HashMap::new();
    let span = |k: usize, spans: &mut HashMap<usize, (usize, usize)>| -> PyResult<(usize, usize)> {
        if let Some(&v) = spans.get(&k) {
            return Ok(v);
        }
        let item = words.get_item(k)?;
        let t = item.downcast::<PyTuple>()?;
        let v = (
            t.get_item(0)?.extract::<usize>()?,
            t.get_item(1)?.extract::<usize>()?,
        );
        spans.insert(k, v);
        Ok(v)
    };
    let out = PyList::empty(py);
    for i in 0..n {
        let key = key_refs[i];
        let entries = match table.entries.get(key) {
            Some(e) => e,
            None => {
                if i > 0
                    && i + 1 < n
                    && key != "heter"
                    && (key_refs[i - 1] == "jeg" || key_refs[i - 1] == "eg")
                {
                    let mut letters: Vec<char> = key.chars().collect();
                    if letters.len() == 5 {
                        letters.sort_unstable();
                        if letters == ['e', 'e', 'h', 'r', 't'] {
                            let start = span(i + 1, &mut spans)?.0;
                            out.append((start, table.kinds[INTRO as usize].bind(py)))?;
                        }
                    }
                }
                continue;
            }
        };
        let chars = chars.get_or_insert_with(|| s.chars().collect());
        let gap = |a: usize,
                   b: usize,
                   spans: &mut HashMap<usize, (usize, usize)>|
         -> PyResult<(usize, usize)> {
            let end = span(a, spans)?.1;
            let start = span(b, spans)?.0;
            Ok((end, start))
        };
        let chars: &[char] = chars;
        let slice = |(a, b): (usize, usize)| sub(chars, a, b);
        for entry in entries {
            let mut k = i + 1;
            let mut complete = true;
            for word in &entry.rest {
                if k >= n
                    || key_refs[k] != word.as_str()
                    || slice(gap(k - 1, k, &mut spans)?) != [' '].as_slice()
                {
                    complete = false;
                    break;
                }
                k += 1;
            }
            if !complete {
                continue;
            }
            let mut kind = entry.kind;
            if kind == RELATION && k < n && table.possessives.contains(key_refs[k]) {
                k += 1;
            }
            if k >= n {
                continue;
            }
            let between = slice(gap(k - 1, k, &mut spans)?);
            if !fullmatch(entry.sep, between) {
                continue;
            }
            if kind == GREETING && between.contains(&'!') {
                kind = GREETING_LOWER;
            }
            if kind == INTRO_WEAK
                && i > 0
                && table.greet_words.contains(key_refs[i - 1])
                && !slice(gap(i - 1, i, &mut spans)?).contains(&'\n')
            {
                kind = INTRO_GREETED;
            }
            let start = span(k, &mut spans)?.0;
            out.append((start, table.kinds[kind as usize].bind(py)))?;
            break;
        }
    }
    Ok(Some(out))
}
