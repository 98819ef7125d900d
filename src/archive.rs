//! Reads Helm's packaged charts (`.tgz`): a gzip (RFC 1952) reader with its own DEFLATE
//! (RFC 1951) decoder, and a ustar/pax/GNU tar reader, with Helm's size limits and path checks.
//! Paths come back raw (the chart's top directory is not stripped here).

/// Helm's `MaxDecompressedChartSize`: the file contents of a chart together (100 MiB).
pub const MAX_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// Helm's `MaxDecompressedFileSize`: one file of a chart (5 MiB).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Tar headers, pax records and padding allowed on top of [`MAX_CHART_SIZE`].
const MAX_METADATA: u64 = 16 * 1024 * 1024;
/// Data allowed after the tar end-of-archive marker (writers pad to a record size).
const MAX_TRAILING: u64 = 1024 * 1024;
/// A pax extended header or GNU long name (Go's archive/tar allows 1 MiB too).
const MAX_SPECIAL_ENTRY: u64 = 1024 * 1024;

/// One file of an archive: its path inside the archive (`/`-separated) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Reads a gzip-compressed tar archive. Errors are one-line messages.
///
/// Regular files come back in archive order with their raw paths (`\` separators turned into
/// `/` as Helm does); directories and pax/GNU metadata entries are consumed; links and device
/// entries come back as empty files, as in Helm's loader. The UTF-8 byte order mark Helm strips
/// from file data is kept here.
pub fn read_tgz(bytes: &[u8]) -> Result<Vec<ArchiveFile>, String> {
    let mut stream = GzipStream::new(bytes)?;
    let mut tar = TarReader { stream: &mut stream, pos: 0 };
    let mut files = Vec::new();
    let mut remaining = MAX_CHART_SIZE;
    while let Some(entry) = tar.next_entry()? {
        if entry.is_dir {
            tar.skip(entry.size)?;
            continue;
        }
        let path = check_path(&entry.name)?;
        if entry.size > remaining {
            return Err(format!("decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"));
        }
        if entry.size > MAX_FILE_SIZE {
            return Err(format!(
                "decompressed chart file {:?} is larger than the maximum file size {MAX_FILE_SIZE}",
                entry.name
            ));
        }
        remaining -= entry.size;
        let bytes = tar.read(entry.size)?;
        files.push(ArchiveFile { path, bytes });
    }
    let end = tar.pos;
    stream.finish(end + MAX_TRAILING)?;
    if files.is_empty() {
        return Err("no files in chart archive".to_string());
    }
    Ok(files)
}

/// Turns `\` separators into `/` and refuses absolute paths and `..` components.
fn check_path(name: &str) -> Result<String, String> {
    let path = name.replace('\\', "/");
    if path.starts_with('/') {
        return Err("chart illegally contains absolute paths".to_string());
    }
    let b = path.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err("chart contains illegally named files".to_string());
    }
    if path.split('/').any(|part| part == "..") {
        return Err("chart illegally references parent directory".to_string());
    }
    Ok(path)
}

// ---------------------------------------------------------------------------------------------
// CRC-32 (the gzip polynomial, reflected: 0xEDB88320).

const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// Continues a CRC-32 over `data` (start with 0).
fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    for &byte in data {
        c = CRC_TABLE[((c ^ byte as u32) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

// ---------------------------------------------------------------------------------------------
// gzip: members of header + DEFLATE data + CRC-32 + ISIZE, decompressed on demand.

/// The decompressed stream of all gzip members, produced as the tar reader asks for it. Only
/// the bytes from a little before the reader's position on are kept (DEFLATE refers back at most
/// 32 KiB), so memory stays near the size of the files returned.
struct GzipStream<'a> {
    input: &'a [u8],
    inflate: Option<Inflate>,
    /// Decompressed bytes; `out[0]` is stream offset `base`.
    out: Vec<u8>,
    base: u64,
    /// CRC-32 and size of the current member's output so far.
    crc: u32,
    member_size: u64,
    /// Stream offset where the current member's output starts.
    member_start: u64,
    done: bool,
}

impl<'a> GzipStream<'a> {
    fn new(input: &'a [u8]) -> Result<Self, String> {
        if input.len() < 2 || input[0] != 0x1F || input[1] != 0x8B {
            return Err("the file does not appear to be a gzipped archive (no gzip magic number)".to_string());
        }
        let start = gzip_header(input, 0)?;
        Ok(GzipStream {
            input,
            inflate: Some(Inflate::new(start)),
            out: Vec::new(),
            base: 0,
            crc: 0,
            member_size: 0,
            member_start: 0,
            done: false,
        })
    }

    /// Stream offset one past the last decompressed byte.
    fn end(&self) -> u64 {
        self.base + self.out.len() as u64
    }

    /// Decompresses until at least `upto` bytes of stream exist or the stream ends.
    fn fill(&mut self, upto: u64) -> Result<(), String> {
        while self.end() < upto && !self.done {
            if self.end() > MAX_CHART_SIZE + MAX_METADATA {
                return Err(format!("decompressed chart is larger than the maximum size {MAX_CHART_SIZE}"));
            }
            let before = self.out.len();
            let window_start = self.member_start.saturating_sub(self.base) as usize;
            // Ask for more than needed so small reads do not restart the decoder often.
            let want = (upto - self.end()).clamp(64 * 1024, 4 * 1024 * 1024) as usize;
            let Some(inflate) = self.inflate.as_mut() else {
                return Err("gzip: internal error: no member to read".to_string());
            };
            let finished = inflate.run(self.input, &mut self.out, window_start, before + want)?;
            self.crc = crc32_update(self.crc, &self.out[before..]);
            self.member_size += (self.out.len() - before) as u64;
            if finished {
                let trailer = inflate.byte_pos();
                self.end_member(trailer)?;
            }
        }
        Ok(())
    }

    /// Checks a member's trailer at `at`, then starts the next member or ends the stream.
    fn end_member(&mut self, at: usize) -> Result<(), String> {
        let t = self.input.get(at..at + 8).ok_or("gzip: unexpected end of data (missing CRC-32 and size trailer)")?;
        let crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
        let size = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
        if crc != self.crc {
            return Err(format!("gzip: invalid checksum (CRC-32 {:08x}, data has {:08x})", crc, self.crc));
        }
        if size != self.member_size as u32 {
            return Err(format!("gzip: invalid size in trailer ({size}, data has {})", self.member_size as u32));
        }
        let rest = &self.input[at + 8..];
        if rest.iter().all(|&b| b == 0) {
            self.inflate = None;
            self.done = true;
            return Ok(());
        }
        if rest.len() < 2 || rest[0] != 0x1F || rest[1] != 0x8B {
            return Err("gzip: invalid data after the end of the compressed stream".to_string());
        }
        let start = gzip_header(self.input, at + 8)?;
        self.inflate = Some(Inflate::new(start));
        self.crc = 0;
        self.member_size = 0;
        self.member_start = self.end();
        Ok(())
    }

    /// The decompressed bytes `from..to` (both already filled, `from >= base`).
    fn slice(&self, from: u64, to: u64) -> &[u8] {
        &self.out[(from - self.base) as usize..(to - self.base) as usize]
    }

    /// Drops bytes before `pos` except the 32 KiB DEFLATE may still refer to.
    fn release(&mut self, pos: u64) {
        let keep_from = pos.saturating_sub(32 * 1024);
        if keep_from > self.base + 4 * 1024 * 1024 {
            let cut = (keep_from - self.base) as usize;
            self.out.drain(..cut);
            self.base = keep_from;
        }
    }

    /// Decompresses the rest of the stream (to check every member's CRC and size), refusing
    /// more than `limit` bytes of stream in all.
    fn finish(&mut self, limit: u64) -> Result<(), String> {
        while !self.done {
            let pos = self.end();
            self.fill(pos + 64 * 1024)?;
            if self.end() > limit {
                return Err(format!("tar: more than {MAX_TRAILING} bytes of data after the end-of-archive marker"));
            }
            self.release(self.end());
        }
        Ok(())
    }
}

/// Parses a gzip member header at `at` (RFC 1952 section 2.3); returns where its DEFLATE data
/// starts.
fn gzip_header(input: &[u8], at: usize) -> Result<usize, String> {
    const FTEXT_RESERVED: u8 = 0xE0;
    const FHCRC: u8 = 0x02;
    const FEXTRA: u8 = 0x04;
    const FNAME: u8 = 0x08;
    const FCOMMENT: u8 = 0x10;
    let short = || "gzip: unexpected end of data in the header".to_string();
    let h = input.get(at..at + 10).ok_or_else(short)?;
    if h[0] != 0x1F || h[1] != 0x8B {
        return Err("gzip: invalid header".to_string());
    }
    if h[2] != 8 {
        return Err(format!("gzip: unsupported compression method {}", h[2]));
    }
    let flags = h[3];
    if flags & FTEXT_RESERVED != 0 {
        return Err("gzip: invalid header (reserved flag bits set)".to_string());
    }
    let mut pos = at + 10;
    if flags & FEXTRA != 0 {
        let len = input.get(pos..pos + 2).ok_or_else(short)?;
        let len = u16::from_le_bytes([len[0], len[1]]) as usize;
        pos += 2;
        if input.len() - pos < len {
            return Err(short());
        }
        pos += len;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let nul = input[pos..].iter().position(|&b| b == 0).ok_or_else(short)?;
            pos += nul + 1;
        }
    }
    if flags & FHCRC != 0 {
        let crc = input.get(pos..pos + 2).ok_or_else(short)?;
        let crc = u16::from_le_bytes([crc[0], crc[1]]);
        if crc != crc32_update(0, &input[at..pos]) as u16 {
            return Err("gzip: invalid header checksum".to_string());
        }
        pos += 2;
    }
    Ok(pos)
}

// ---------------------------------------------------------------------------------------------
// DEFLATE (RFC 1951).

/// Bits looked up at once in a Huffman table; longer codes are decoded bit by bit.
const FAST_BITS: u32 = 10;

/// A canonical Huffman code (RFC 1951 section 3.2.2).
struct Huffman {
    /// Indexed by the next FAST_BITS input bits: `symbol << 4 | length`, 0 when the code is
    /// longer than FAST_BITS (or unused).
    fast: Vec<u16>,
    /// How many codes have each length 0..=15.
    counts: [u16; 16],
    /// Symbols ordered by (length, symbol value): the canonical code order.
    symbols: Vec<u16>,
}

impl Huffman {
    /// Builds the code from code lengths per symbol (0 = unused). Over-subscribed lengths are an
    /// error; incomplete codes are accepted, an unused code is then an error when decoded.
    fn new(lengths: &[u8]) -> Result<Huffman, String> {
        let mut counts = [0u16; 16];
        for &len in lengths {
            counts[len as usize] += 1;
        }
        counts[0] = 0;
        // Every length may use at most the codes the shorter lengths left free.
        let mut left: i32 = 1;
        for &count in &counts[1..] {
            left = left * 2 - count as i32;
            if left < 0 {
                return Err("deflate: invalid Huffman code lengths (over-subscribed)".to_string());
            }
        }
        // First code of each length (section 3.2.2, step 2).
        let mut next_code = [0u16; 16];
        let mut code = 0u16;
        for bits in 1..16 {
            code = (code + counts[bits - 1]) << 1;
            next_code[bits] = code;
        }
        let mut offsets = [0u16; 16];
        for bits in 1..16 {
            offsets[bits] = offsets[bits - 1] + counts[bits - 1];
        }
        let mut symbols = vec![0u16; lengths.iter().filter(|&&l| l != 0).count()];
        let mut fast = vec![0u16; 1 << FAST_BITS];
        for (symbol, &len) in lengths.iter().enumerate() {
            if len == 0 {
                continue;
            }
            let len = len as usize;
            symbols[(offsets[len] - offsets[1]) as usize] = symbol as u16;
            offsets[len] += 1;
            let code = next_code[len];
            next_code[len] += 1;
            if len as u32 <= FAST_BITS {
                // Codes are sent most significant bit first; the table is indexed by input
                // bits in arrival order, so reverse the code.
                let mut reversed = 0usize;
                for i in 0..len {
                    reversed |= (((code >> i) & 1) as usize) << (len - 1 - i);
                }
                let mut index = reversed;
                while index < fast.len() {
                    fast[index] = (symbol as u16) << 4 | len as u16;
                    index += 1 << len;
                }
            }
        }
        Ok(Huffman { fast, counts, symbols })
    }
}

const LENGTH_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] =
    [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/// Order in which the code length code lengths are sent (section 3.2.7).
const CODE_LENGTH_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// The block being decoded.
enum Block {
    /// Between blocks: the next thing in the input is a block header.
    None,
    /// A stored block with this many bytes left to copy.
    Stored(usize),
    /// A Huffman-coded block: literal/length and distance codes.
    Huffman(Box<(Huffman, Huffman)>),
}

/// A resumable DEFLATE decoder: `run` decodes until the output reaches a target length, keeping
/// its place (bit position and current block) for the next call.
struct Inflate {
    /// Next input byte not yet in `bits`.
    pos: usize,
    /// Input bits not yet used, least significant first.
    bits: u64,
    nbits: u32,
    block: Block,
    last_block: bool,
}

const TRUNCATED: &str = "deflate: unexpected end of compressed data";

impl Inflate {
    fn new(pos: usize) -> Inflate {
        Inflate { pos, bits: 0, nbits: 0, block: Block::None, last_block: false }
    }

    /// Where the input continues after the decoded data (whole bytes; the bits left in the last
    /// byte are padding).
    fn byte_pos(&self) -> usize {
        self.pos - (self.nbits / 8) as usize
    }

    /// Loads input bytes until at least 57 bits are buffered or the input ends.
    fn refill(&mut self, input: &[u8]) {
        while self.nbits <= 56 {
            let Some(&byte) = input.get(self.pos) else { break };
            self.bits |= (byte as u64) << self.nbits;
            self.nbits += 8;
            self.pos += 1;
        }
    }

    fn take(&mut self, input: &[u8], n: u32) -> Result<u32, String> {
        if self.nbits < n {
            self.refill(input);
            if self.nbits < n {
                return Err(TRUNCATED.to_string());
            }
        }
        let value = (self.bits & ((1u64 << n) - 1)) as u32;
        self.bits >>= n;
        self.nbits -= n;
        Ok(value)
    }

    fn decode(&mut self, input: &[u8], code: &Huffman) -> Result<u16, String> {
        if self.nbits < 15 {
            self.refill(input);
        }
        let entry = code.fast[(self.bits & ((1 << FAST_BITS) - 1)) as usize];
        if entry != 0 {
            let len = (entry & 15) as u32;
            if len > self.nbits {
                return Err(TRUNCATED.to_string());
            }
            self.bits >>= len;
            self.nbits -= len;
            return Ok(entry >> 4);
        }
        // Canonical decoding one bit at a time: codes of each length are consecutive numbers.
        let mut code_value: i32 = 0;
        let mut first: i32 = 0;
        let mut index: i32 = 0;
        for len in 1..16 {
            code_value |= self.take(input, 1)? as i32;
            let count = code.counts[len] as i32;
            if code_value - first < count {
                return Ok(code.symbols[(index + code_value - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code_value <<= 1;
        }
        Err("deflate: invalid Huffman code".to_string())
    }

    /// Decodes until `out` holds at least `target` bytes (a copy may overshoot by up to 257) or
    /// the last block ends; returns whether the DEFLATE stream has ended. `out` must hold at least
    /// the last 32 KiB of output (or all of it); this stream's output starts at `window_start`.
    fn run(&mut self, input: &[u8], out: &mut Vec<u8>, window_start: usize, target: usize) -> Result<bool, String> {
        while out.len() < target {
            match std::mem::replace(&mut self.block, Block::None) {
                Block::None => {
                    if self.last_block {
                        return Ok(true);
                    }
                    self.last_block = self.take(input, 1)? == 1;
                    self.block = match self.take(input, 2)? {
                        0 => self.stored_header(input)?,
                        1 => Block::Huffman(Box::new(fixed_codes())),
                        2 => Block::Huffman(Box::new(self.dynamic_codes(input)?)),
                        _ => return Err("deflate: invalid block type 3".to_string()),
                    };
                }
                Block::Stored(left) => {
                    let n = left.min(target - out.len());
                    let bytes = input.get(self.pos..self.pos + n).ok_or(TRUNCATED)?;
                    out.extend_from_slice(bytes);
                    self.pos += n;
                    if n < left {
                        self.block = Block::Stored(left - n);
                    }
                }
                Block::Huffman(codes) => {
                    if !self.huffman_symbols(input, &codes, out, window_start, target)? {
                        self.block = Block::Huffman(codes);
                    }
                }
            }
        }
        Ok(matches!(self.block, Block::None) && self.last_block)
    }

    /// Decodes symbols of a Huffman block until the target or the end of the block; returns
    /// whether the block ended.
    fn huffman_symbols(
        &mut self,
        input: &[u8],
        codes: &(Huffman, Huffman),
        out: &mut Vec<u8>,
        window_start: usize,
        target: usize,
    ) -> Result<bool, String> {
        let (literals, distances) = codes;
        while out.len() < target {
            let symbol = self.decode(input, literals)?;
            if symbol < 256 {
                out.push(symbol as u8);
                continue;
            }
            if symbol == 256 {
                return Ok(true);
            }
            let index = (symbol - 257) as usize;
            if index >= LENGTH_BASE.len() {
                return Err(format!("deflate: invalid length symbol {symbol}"));
            }
            let length = LENGTH_BASE[index] as usize + self.take(input, LENGTH_EXTRA[index] as u32)? as usize;
            let dist_symbol = self.decode(input, distances)? as usize;
            if dist_symbol >= DIST_BASE.len() {
                return Err(format!("deflate: invalid distance symbol {dist_symbol}"));
            }
            let distance = DIST_BASE[dist_symbol] as usize + self.take(input, DIST_EXTRA[dist_symbol] as u32)? as usize;
            if distance > out.len() - window_start {
                return Err("deflate: distance refers before the start of the data".to_string());
            }
            // The copy may overlap what it writes: copy in chunks that double, each a whole
            // number of periods of the repeated `distance` bytes.
            let start = out.len() - distance;
            let mut left = length;
            while left > 0 {
                let n = left.min(out.len() - start);
                out.extend_from_within(start..start + n);
                left -= n;
            }
        }
        Ok(false)
    }

    /// Reads LEN and NLEN of a stored block (section 3.2.4) after skipping to a byte boundary.
    fn stored_header(&mut self, input: &[u8]) -> Result<Block, String> {
        // Drop the rest of the current byte, then hand whole buffered bytes back to the input.
        let partial = self.nbits % 8;
        self.take(input, partial)?;
        self.pos -= (self.nbits / 8) as usize;
        self.bits = 0;
        self.nbits = 0;
        let h = input.get(self.pos..self.pos + 4).ok_or(TRUNCATED)?;
        let len = u16::from_le_bytes([h[0], h[1]]);
        let nlen = u16::from_le_bytes([h[2], h[3]]);
        if len != !nlen {
            return Err("deflate: stored block length does not match its complement".to_string());
        }
        self.pos += 4;
        Ok(if len == 0 { Block::None } else { Block::Stored(len as usize) })
    }

    /// Reads the code definitions of a dynamic Huffman block (section 3.2.7).
    fn dynamic_codes(&mut self, input: &[u8]) -> Result<(Huffman, Huffman), String> {
        let hlit = self.take(input, 5)? as usize + 257;
        let hdist = self.take(input, 5)? as usize + 1;
        let hclen = self.take(input, 4)? as usize + 4;
        if hlit > 286 || hdist > 30 {
            return Err("deflate: too many length or distance codes".to_string());
        }
        let mut cl_lengths = [0u8; 19];
        for &i in &CODE_LENGTH_ORDER[..hclen] {
            cl_lengths[i] = self.take(input, 3)? as u8;
        }
        let cl_code = Huffman::new(&cl_lengths)?;
        let mut lengths = vec![0u8; hlit + hdist];
        let mut i = 0;
        while i < lengths.len() {
            let symbol = self.decode(input, &cl_code)?;
            let (value, repeat) = match symbol {
                0..=15 => (symbol as u8, 1),
                16 => {
                    if i == 0 {
                        return Err("deflate: repeated code length with no previous length".to_string());
                    }
                    (lengths[i - 1], 3 + self.take(input, 2)? as usize)
                }
                17 => (0, 3 + self.take(input, 3)? as usize),
                18 => (0, 11 + self.take(input, 7)? as usize),
                _ => return Err("deflate: invalid code length symbol".to_string()),
            };
            if i + repeat > lengths.len() {
                return Err("deflate: code lengths overflow the code count".to_string());
            }
            lengths[i..i + repeat].fill(value);
            i += repeat;
        }
        if lengths[256] == 0 {
            return Err("deflate: no code for the end of block".to_string());
        }
        Ok((Huffman::new(&lengths[..hlit])?, Huffman::new(&lengths[hlit..])?))
    }
}

/// The fixed codes of block type 1 (section 3.2.6).
fn fixed_codes() -> (Huffman, Huffman) {
    let mut lengths = [0u8; 288];
    lengths[..144].fill(8);
    lengths[144..256].fill(9);
    lengths[256..280].fill(7);
    lengths[280..].fill(8);
    let literals = Huffman::new(&lengths).expect("the fixed literal code is valid");
    let distances = Huffman::new(&[5u8; 30]).expect("the fixed distance code is valid");
    (literals, distances)
}

// ---------------------------------------------------------------------------------------------
// tar (POSIX ustar, pax extended headers, GNU long names).

const BLOCK: u64 = 512;

struct Entry {
    name: String,
    size: u64,
    is_dir: bool,
}

struct TarReader<'s, 'a> {
    stream: &'s mut GzipStream<'a>,
    /// Stream offset of the next unread byte.
    pos: u64,
}

impl TarReader<'_, '_> {
    /// Reads `n` bytes; `Ok(None)` when the stream ends exactly at the current position.
    fn read_opt(&mut self, n: u64) -> Result<Option<Vec<u8>>, String> {
        self.stream.fill(self.pos + n)?;
        let available = self.stream.end() - self.pos;
        if available == 0 && n > 0 {
            return Ok(None);
        }
        if available < n {
            return Err("tar: unexpected end of archive".to_string());
        }
        let bytes = self.stream.slice(self.pos, self.pos + n).to_vec();
        self.pos += n;
        self.stream.release(self.pos);
        Ok(Some(bytes))
    }

    /// Reads an entry's `size` bytes of data and the padding to the next block.
    fn read(&mut self, size: u64) -> Result<Vec<u8>, String> {
        let data = self.read_opt(size)?.unwrap_or_default();
        if (data.len() as u64) < size {
            return Err("tar: unexpected end of archive".to_string());
        }
        self.skip_padding(size)?;
        Ok(data)
    }

    /// Skips an entry's data and padding without keeping it.
    fn skip(&mut self, size: u64) -> Result<(), String> {
        let mut left = size.div_ceil(BLOCK).checked_mul(BLOCK).ok_or("tar: entry size out of range")?;
        while left > 0 {
            let n = left.min(1024 * 1024);
            if self.read_opt(n)?.is_none() {
                return Err("tar: unexpected end of archive".to_string());
            }
            left -= n;
        }
        Ok(())
    }

    fn skip_padding(&mut self, size: u64) -> Result<(), String> {
        let padding = (BLOCK - size % BLOCK) % BLOCK;
        if padding > 0 && self.read_opt(padding)?.is_none() {
            return Err("tar: unexpected end of archive".to_string());
        }
        Ok(())
    }

    /// The next file or directory entry with pax/GNU names applied, or `None` at the end.
    fn next_entry(&mut self) -> Result<Option<Entry>, String> {
        let mut long_name: Option<String> = None;
        let mut pax_path: Option<String> = None;
        let mut pax_size: Option<u64> = None;
        loop {
            let Some(header) = self.read_opt(BLOCK)? else { return Ok(None) };
            if header.iter().all(|&b| b == 0) {
                // End of archive: two zero blocks (a lone one at the very end is accepted).
                return match self.read_opt(BLOCK)? {
                    Some(next) if next.iter().any(|&b| b != 0) => {
                        Err("tar: invalid header (a zero block followed by data)".to_string())
                    }
                    _ => Ok(None),
                };
            }
            verify_checksum(&header)?;
            let typeflag = header[156];
            let header_only = matches!(typeflag, b'1' | b'2' | b'3' | b'4' | b'5' | b'6');
            let mut size = if header_only { 0 } else { parse_number(&header[124..136])? };
            match typeflag {
                b'x' | b'g' | b'L' | b'K' => {
                    if size > MAX_SPECIAL_ENTRY {
                        return Err(format!("tar: metadata entry of {size} bytes is larger than {MAX_SPECIAL_ENTRY}"));
                    }
                    let data = self.read(size)?;
                    match typeflag {
                        b'x' => parse_pax(&data, &mut pax_path, &mut pax_size)?,
                        b'L' => {
                            let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
                            long_name = Some(String::from_utf8_lossy(&data[..end]).into_owned());
                        }
                        // Global pax headers and GNU long link names do not name files.
                        _ => {}
                    }
                    continue;
                }
                b'S' => return Err("tar: GNU sparse files are not supported".to_string()),
                _ => {}
            }
            if let Some(pax) = pax_size {
                if !header_only {
                    size = pax;
                }
            }
            let name = match (pax_path, long_name) {
                (Some(path), _) => path,
                (None, Some(name)) => name,
                (None, None) => header_name(&header),
            };
            let mode = parse_number(&header[100..108]).unwrap_or(0);
            let is_dir = typeflag == b'5' || (typeflag == 0 && name.ends_with('/')) || mode & 0o170000 == 0o040000;
            return Ok(Some(Entry { name, size, is_dir }));
        }
    }
}

/// The header's checksum field: the sum of the header bytes with the field itself read as
/// spaces (some old writers summed signed bytes; both are accepted).
fn verify_checksum(header: &[u8]) -> Result<(), String> {
    let expected = parse_number(&header[148..156]).map_err(|_| "tar: invalid header checksum field")?;
    let mut unsigned: i64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in header.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += b as i64;
        signed += b as i8 as i64;
    }
    if expected as i64 != unsigned && expected as i64 != signed {
        return Err("tar: invalid header (checksum mismatch)".to_string());
    }
    Ok(())
}

/// A numeric header field: octal digits padded with spaces/NULs, or GNU base-256 (high bit set).
fn parse_number(field: &[u8]) -> Result<u64, String> {
    if let Some(&first) = field.first() {
        if first & 0x80 != 0 {
            if first & 0x40 != 0 {
                return Err("tar: negative number in header".to_string());
            }
            let mut value: u64 = (first & 0x3F) as u64;
            for &b in &field[1..] {
                if value >> 56 != 0 {
                    return Err("tar: number in header is too large".to_string());
                }
                value = value << 8 | b as u64;
            }
            return Ok(value);
        }
    }
    let text = field.iter().skip_while(|&&b| b == b' ' || b == 0);
    let mut value: u64 = 0;
    for &b in text.take_while(|&&b| b != b' ' && b != 0) {
        if !(b'0'..=b'7').contains(&b) {
            return Err("tar: invalid number in header".to_string());
        }
        value = value.checked_mul(8).ok_or("tar: number in header is too large")? + (b - b'0') as u64;
    }
    Ok(value)
}

/// `name`, or `prefix/name` for POSIX ustar headers whose prefix field is set.
fn header_name(header: &[u8]) -> String {
    let field = |range: std::ops::Range<usize>| {
        let bytes = &header[range];
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        String::from_utf8_lossy(&bytes[..end]).into_owned()
    };
    let name = field(0..100);
    // "ustar\0" is POSIX (with a prefix field); GNU's "ustar  \0" uses those bytes otherwise.
    if &header[257..263] == b"ustar\0" {
        let prefix = field(345..500);
        if !prefix.is_empty() {
            return format!("{prefix}/{name}");
        }
    }
    name
}

/// Pax extended header records: `"<length> <key>=<value>\n"`, the length counting the whole
/// record. Only `path` and `size` matter here.
fn parse_pax(data: &[u8], path: &mut Option<String>, size: &mut Option<u64>) -> Result<(), String> {
    let invalid = || "tar: invalid pax extended header".to_string();
    let mut rest = data;
    while !rest.is_empty() {
        // Writers may pad the header with NULs after the last record.
        if rest.iter().all(|&b| b == 0) {
            break;
        }
        let space = rest.iter().position(|&b| b == b' ').ok_or_else(invalid)?;
        let len: usize = std::str::from_utf8(&rest[..space]).ok().and_then(|s| s.parse().ok()).ok_or_else(invalid)?;
        if len <= space + 1 || len > rest.len() || rest[len - 1] != b'\n' {
            return Err(invalid());
        }
        let record = &rest[space + 1..len - 1];
        let eq = record.iter().position(|&b| b == b'=').ok_or_else(invalid)?;
        let (key, value) = (&record[..eq], &record[eq + 1..]);
        match key {
            b"path" => *path = Some(String::from_utf8_lossy(value).into_owned()),
            b"size" => {
                let text = std::str::from_utf8(value).map_err(|_| invalid())?;
                *size = Some(text.parse().map_err(|_| invalid())?);
            }
            _ => {}
        }
        rest = &rest[len..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archives")
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(fixtures().join(name)).unwrap()
    }

    fn read(name: &str) -> Result<Vec<ArchiveFile>, String> {
        read_tgz(&fixture(name))
    }

    /// Every file under `dir` as (path relative to `dir`'s parent with `/`, bytes), sorted.
    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let rel = path.strip_prefix(root).unwrap().to_str().unwrap().replace('\\', "/");
                    out.push((rel, std::fs::read(&path).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(dir.parent().unwrap(), dir, &mut out);
        out.sort();
        out
    }

    fn sorted(files: Vec<ArchiveFile>) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<_> = files.into_iter().map(|f| (f.path, f.bytes)).collect();
        out.sort();
        out
    }

    #[test]
    fn crc32_check_value() {
        assert_eq!(crc32_update(0, b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32_update(crc32_update(0, b"1234"), b"56789"), 0xCBF4_3926);
    }

    #[test]
    fn python_archives_equal_their_sources() {
        let expected = tree(&fixtures().join("src/demo"));
        assert_eq!(expected.len(), 7);
        for name in [
            "level0.tgz",
            "level1.tgz",
            "level6.tgz",
            "level9.tgz",
            "gzip-flags.tgz",
            "two-members.tgz",
            "zero-padded.tgz",
        ] {
            let files = read(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(sorted(files), expected, "{name}");
        }
    }

    #[test]
    fn helm_packaged_chart_equals_its_source() {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/subchart/charts/sub");
        let files = read("helm-sub.tgz").unwrap();
        // Helm writes Chart.yaml and values.yaml first.
        assert_eq!(files[0].path, "sub/Chart.yaml");
        assert_eq!(sorted(files), tree(&source));
    }

    #[test]
    fn long_names() {
        let long_dir = (0..12).map(|i| format!("directory{i:02}")).collect::<Vec<_>>().join("/");
        let files = read("pax-long.tgz").unwrap();
        let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
        let pax = format!("demo/{long_dir}/pax-long-name.yaml");
        assert!(pax.len() > 100);
        // The symlink comes back as an empty file, as Helm's loader returns it.
        assert_eq!(paths, ["demo/Chart.yaml", pax.as_str(), "demo/link.yaml"]);
        assert_eq!(files[1].bytes, b"pax: true\n");
        assert!(files[2].bytes.is_empty());

        let files = read("gnu-long.tgz").unwrap();
        assert_eq!(files[1].path, format!("demo/{long_dir}/gnu-long-name.yaml"));
        assert_eq!(files[1].bytes, b"gnu: true\n");

        let files = read("ustar-prefix.tgz").unwrap();
        let dirs = (0..30).map(|i| format!("d{i:02}")).collect::<Vec<_>>().join("/");
        assert_eq!(files[0].path, format!("demo/{dirs}/ustar-prefix.yaml"));
        assert_eq!(files[0].bytes, b"ustar: true\n");
    }

    #[test]
    fn files_past_the_kept_window() {
        let files = read("window.tgz").unwrap();
        let manifest = std::fs::read_to_string(fixtures().join("window.txt")).unwrap();
        let expected: Vec<String> = manifest.lines().map(str::to_string).collect();
        let got: Vec<String> =
            files.iter().map(|f| format!("{} {} {:08x}", f.path, f.bytes.len(), crc32_update(0, &f.bytes))).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn refused_archives_have_helms_messages() {
        let err = |name| read(name).err().unwrap_or_else(|| panic!("{name} was accepted"));
        assert_eq!(err("parent-dir.tgz"), "chart illegally references parent directory");
        assert_eq!(err("absolute.tgz"), "chart illegally contains absolute paths");
        assert_eq!(
            err("too-big-file.tgz"),
            "decompressed chart file \"demo/big.txt\" is larger than the maximum file size 5242880"
        );
        assert_eq!(err("empty.tgz"), "no files in chart archive");
        assert!(read_tgz(b"apiVersion: v2\n").unwrap_err().contains("does not appear to be a gzipped archive"));
        assert!(read_tgz(b"").is_err());
        assert_eq!(check_path("a\\b\\c.yaml").unwrap(), "a/b/c.yaml");
        assert_eq!(check_path("C:/x").unwrap_err(), "chart contains illegally named files");
        assert_eq!(check_path("a\\..\\b").unwrap_err(), "chart illegally references parent directory");
        assert_eq!(check_path("a/..b/c").unwrap(), "a/..b/c");
    }

    #[test]
    fn corrupted_archives_are_errors() {
        let good = fixture("level6.tgz");
        assert!(read_tgz(&good).is_ok());
        for at in [good.len() / 3, good.len() / 2, good.len() - 12] {
            let mut bad = good.clone();
            bad[at] ^= 0x55;
            assert!(read_tgz(&bad).is_err(), "flip at {at}");
        }
        // The CRC-32 and ISIZE trailer.
        let mut bad = good.clone();
        let n = bad.len();
        bad[n - 8] ^= 1;
        assert!(read_tgz(&bad).unwrap_err().contains("checksum"), "crc");
        let mut bad = good.clone();
        bad[n - 1] ^= 1;
        assert!(read_tgz(&bad).unwrap_err().contains("size"), "isize");
        for len in [0, 1, 5, 10, 11, 100, good.len() / 2, good.len() - 9, good.len() - 1] {
            assert!(read_tgz(&good[..len]).is_err(), "truncated to {len}");
        }
        // Garbage after the last member (zero padding is accepted: zero-padded.tgz).
        let mut bad = good.clone();
        bad.extend_from_slice(b"junk");
        assert!(read_tgz(&bad).is_err());
    }

    /// Writes bits least significant first, as DEFLATE packs them.
    #[derive(Default)]
    struct BitWriter {
        bytes: Vec<u8>,
        bit: u32,
    }

    impl BitWriter {
        fn bits(&mut self, value: u32, n: u32) {
            for i in 0..n {
                if self.bit == 0 {
                    self.bytes.push(0);
                }
                *self.bytes.last_mut().unwrap() |= (((value >> i) & 1) as u8) << self.bit;
                self.bit = (self.bit + 1) % 8;
            }
        }

        /// A Huffman code: most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            for i in (0..len).rev() {
                self.bits((code >> i) & 1, 1);
            }
        }

        fn align(&mut self) {
            self.bit = 0;
        }
    }

    enum Part<'a> {
        /// Bytes in a stored block.
        Bytes(&'a [u8]),
        /// This many zero bytes in a fixed-Huffman block: a literal and 258-byte copies.
        Zeros(u64),
    }

    /// A gzip member of the parts (the trailer's CRC is only right when `crc` is given).
    fn gzip(parts: &[Part], crc: u32) -> Vec<u8> {
        let mut w = BitWriter::default();
        w.bytes.extend_from_slice(&[0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]);
        let mut size = 0u64;
        for (i, part) in parts.iter().enumerate() {
            let last = (i + 1 == parts.len()) as u32;
            match part {
                Part::Bytes(bytes) => {
                    w.bits(last, 1);
                    w.bits(0, 2);
                    w.align();
                    let len = bytes.len() as u16;
                    w.bytes.extend_from_slice(&len.to_le_bytes());
                    w.bytes.extend_from_slice(&(!len).to_le_bytes());
                    w.bytes.extend_from_slice(bytes);
                    size += bytes.len() as u64;
                }
                Part::Zeros(n) => {
                    w.bits(last, 1);
                    w.bits(1, 2);
                    w.code(0x30, 8); // literal 0
                    let mut left = n - 1;
                    while left >= 258 {
                        w.code(0xC5, 8); // length symbol 285: 258 bytes
                        w.code(0, 5); // distance symbol 0: distance 1
                        left -= 258;
                    }
                    for _ in 0..left {
                        w.code(0x30, 8);
                    }
                    w.code(0, 7); // end of block
                    size += n;
                }
            }
        }
        w.align();
        w.bytes.extend_from_slice(&crc.to_le_bytes());
        w.bytes.extend_from_slice(&(size as u32).to_le_bytes());
        w.bytes
    }

    /// A ustar header for a regular file.
    fn tar_header(name: &str, size: u64) -> Vec<u8> {
        let mut h = vec![0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(b"0000644");
        h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
        h[156] = b'0';
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].fill(b' ');
        let sum: u32 = h.iter().map(|&b| b as u32).sum();
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        h
    }

    #[test]
    fn hand_built_stream_round_trips() {
        let header = tar_header("c/zeros.bin", 70_000);
        let mut tar = header.clone();
        tar.resize(512 + 70_000_usize.div_ceil(512) * 512 + 1024, 0);
        let crc = crc32_update(0, &tar);
        let archive = gzip(&[Part::Bytes(&header), Part::Zeros(tar.len() as u64 - 512)], crc);
        let files = read_tgz(&archive).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "c/zeros.bin");
        assert_eq!(files[0].bytes, vec![0u8; 70_000]);
    }

    #[test]
    fn gzip_bombs_stop_early() {
        let start = std::time::Instant::now();
        // A file that claims (and decompresses to) 200 MiB: refused at its header.
        let header = tar_header("c/bomb.bin", 200 << 20);
        let bomb = gzip(&[Part::Bytes(&header), Part::Zeros(200 << 20)], 0);
        assert!(bomb.len() < 2 << 20);
        assert_eq!(read_tgz(&bomb).unwrap_err(), "decompressed chart is larger than the maximum size 104857600");
        // 200 MiB of zeros: the tar ends at the first two blocks, the rest is refused padding.
        let zeros = gzip(&[Part::Zeros(200 << 20)], 0);
        assert!(read_tgz(&zeros).unwrap_err().contains("after the end-of-archive marker"));
        // 26 files of 4 MiB, each under the file limit, together over the chart limit.
        let header = tar_header("c/four.bin", 4 << 20);
        let mut parts = Vec::new();
        for _ in 0..26 {
            parts.push(Part::Bytes(&header));
            parts.push(Part::Zeros(4 << 20));
        }
        assert_eq!(
            read_tgz(&gzip(&parts, 0)).unwrap_err(),
            "decompressed chart is larger than the maximum size 104857600"
        );
        assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    }

    #[test]
    fn random_mutations_never_panic() {
        let seeds = [fixture("helm-sub.tgz"), fixture("pax-long.tgz"), fixture("gnu-long.tgz")];
        let mut rng = crate::values::generate::Rng::new(0x9E37_79B9_7F4A_7C15);
        let mut accepted = 0;
        for i in 0..2000 {
            let mut data = seeds[i % seeds.len()].clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(data.len().max(1));
                match rng.below(6) {
                    0 => data[at] ^= 1 << rng.below(8),
                    1 => data[at] = rng.next_u64() as u8,
                    2 => data.truncate(at),
                    3 => data.insert(at, rng.next_u64() as u8),
                    4 if !data.is_empty() => {
                        data.remove(at);
                    }
                    _ => {
                        // Overwrite a run after the gzip header with random bytes.
                        let from = 10 + rng.below(data.len().saturating_sub(10).max(1));
                        for b in data.iter_mut().skip(from).take(1 + rng.below(64)) {
                            *b = rng.next_u64() as u8;
                        }
                    }
                }
                if data.is_empty() {
                    break;
                }
            }
            if read_tgz(&data).is_ok() {
                accepted += 1;
            }
        }
        // Flips in the gzip header's MTIME/OS bytes, for one, leave an archive that still reads.
        assert!(accepted < 2000);
        // Random DEFLATE data behind a valid gzip header.
        for _ in 0..500 {
            let mut data = vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3];
            for _ in 0..rng.below(2000) {
                data.push(rng.next_u64() as u8);
            }
            assert!(read_tgz(&data).is_err());
        }
    }
}
