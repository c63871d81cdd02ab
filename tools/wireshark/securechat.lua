-- SecureChat protocol version 1 (docs/PROTOCOL.md) for Wireshark 4.0 and later (Lua 5.2).
--
-- Each direction of a TCP connection is a sequence of frames: u32 big-endian length, then a UTF-8 JSON object
-- with a "type" member. This dissector reassembles frames across segments, shows every frame's type and
-- members, and raises expert warnings for what an auditor would flag on the wire.
--
-- Install: copy this file to ~/.local/lib/wireshark/plugins/ (or pass -X lua_script:securechat.lua to tshark).
-- It claims TCP port 7443 (the server's default; use "Decode As" for others) and, heuristically, any TCP
-- payload that starts with a plausible length prefix followed by {"type":.

local MAX_FRAME = 65536
local DEFAULT_PORT = 7443

local p = Proto("securechat", "SecureChat")

local f = {
    length = ProtoField.uint32("securechat.length", "Length", base.DEC),
    type = ProtoField.string("securechat.type", "Type"),
    direction = ProtoField.string("securechat.direction", "Direction"),
    version = ProtoField.uint32("securechat.version", "Version", base.DEC),
    cert_len = ProtoField.uint32("securechat.cert_len", "Certificate PEM length", base.DEC),
    nonce_len = ProtoField.uint32("securechat.nonce_len", "Nonce length (bytes)", base.DEC),
    phase = ProtoField.string("securechat.phase", "DH phase"),
    group = ProtoField.string("securechat.group", "DH group"),
    a_len = ProtoField.uint32("securechat.a_len", "A length (bytes)", base.DEC),
    b_len = ProtoField.uint32("securechat.b_len", "B length (bytes)", base.DEC),
    ct_len = ProtoField.uint32("securechat.ct_len", "Ciphertext length (bytes, with tag)", base.DEC),
    commit_len = ProtoField.uint32("securechat.commit_len", "Commitment length (bytes)", base.DEC),
    sig_len = ProtoField.uint32("securechat.sig_len", "Signature length (bytes)", base.DEC),
    seqno = ProtoField.uint64("securechat.seqno", "Sequence number", base.DEC),
    ts = ProtoField.uint64("securechat.ts", "Timestamp (Unix ms)", base.DEC),
    peer = ProtoField.string("securechat.receipt.peer", "Receipt issuer"),
    session = ProtoField.string("securechat.session", "Session id"),
    c2s_last = ProtoField.uint64("securechat.receipt.c2s_last_seq", "Client-to-server messages covered", base.DEC),
    s2c_last = ProtoField.uint64("securechat.receipt.s2c_last_seq", "Server-to-client messages covered", base.DEC),
    hash = ProtoField.string("securechat.receipt.transcript_sha256", "Transcript SHA-256"),
    code = ProtoField.string("securechat.error.code", "Error code"),
    message = ProtoField.string("securechat.error.message", "Error message"),
    body = ProtoField.string("securechat.json", "JSON body"),
}
p.fields = { f.length, f.type, f.direction, f.version, f.cert_len, f.nonce_len, f.phase, f.group, f.a_len, f.b_len,
    f.ct_len, f.commit_len, f.sig_len, f.seqno, f.ts, f.peer, f.session, f.c2s_last, f.s2c_last, f.hash, f.code,
    f.message, f.body }

local e = {
    seq_back = ProtoExpert.new("securechat.seqno.back", "SecureChat: seqno goes back (replayed message)",
        expert.group.SEQUENCE, expert.severity.WARN),
    seq_gap = ProtoExpert.new("securechat.seqno.gap", "SecureChat: seqno skips (message missing)",
        expert.group.SEQUENCE, expert.severity.WARN),
    early_msg = ProtoExpert.new("securechat.msg.early", "SecureChat: msg before the handshake is complete",
        expert.group.PROTOCOL, expert.severity.WARN),
    error_frame = ProtoExpert.new("securechat.error", "SecureChat: error frame",
        expert.group.RESPONSE_CODE, expert.severity.WARN),
    oversized = ProtoExpert.new("securechat.length.invalid", "SecureChat: length prefix out of range",
        expert.group.MALFORMED, expert.severity.ERROR),
    malformed = ProtoExpert.new("securechat.malformed", "SecureChat: body is not a JSON object with a type",
        expert.group.MALFORMED, expert.severity.ERROR),
}
p.experts = { e.seq_back, e.seq_gap, e.early_msg, e.error_frame, e.oversized, e.malformed }

local tcp_stream = Field.new("tcp.stream")

-- Minimal JSON reader for the top-level members of one object. Strings are unescaped (\uXXXX becomes '?',
-- enough for display), numbers are kept as their literal text, objects and arrays are skipped.
local function skip_ws(s, i)
    return s:find("[^ \t\r\n]", i) or #s + 1
end

local function read_string(s, i)
    local out, j = {}, i + 1
    while j <= #s do
        local c = s:sub(j, j)
        if c == '"' then
            return table.concat(out), j + 1
        elseif c == "\\" then
            local n = s:sub(j + 1, j + 1)
            local map = { n = "\n", t = "\t", r = "\r", b = "\b", f = "\f" }
            if n == "u" then
                out[#out + 1] = "?"
                j = j + 6
            else
                out[#out + 1] = map[n] or n
                j = j + 2
            end
        else
            out[#out + 1] = c
            j = j + 1
        end
    end
    return nil
end

local function skip_value(s, i)
    local c = s:sub(i, i)
    if c == '"' then
        local _, j = read_string(s, i)
        return nil, j
    elseif c == "{" or c == "[" then
        local depth, j = 0, i
        while j <= #s do
            local d = s:sub(j, j)
            if d == '"' then
                local _, k = read_string(s, j)
                if not k then return nil end
                j = k
            else
                if d == "{" or d == "[" then depth = depth + 1 elseif d == "}" or d == "]" then depth = depth - 1 end
                j = j + 1
                if depth == 0 then return nil, j end
            end
        end
        return nil
    end
    local literal = s:match("^[%w%.%+%-]+", i)
    if not literal then return nil end
    return literal, i + #literal
end

local function parse_object(s)
    local i = skip_ws(s, 1)
    if s:sub(i, i) ~= "{" then return nil end
    local members = {}
    i = skip_ws(s, i + 1)
    if s:sub(i, i) == "}" then return members end
    while i <= #s do
        if s:sub(i, i) ~= '"' then return nil end
        local name, j = read_string(s, i)
        if not name then return nil end
        j = skip_ws(s, j)
        if s:sub(j, j) ~= ":" then return nil end
        j = skip_ws(s, j + 1)
        local value, k
        if s:sub(j, j) == '"' then
            value, k = read_string(s, j)
        else
            value, k = skip_value(s, j)
        end
        if not k then return nil end
        if members[name] == nil then members[name] = value end
        k = skip_ws(s, k)
        local c = s:sub(k, k)
        if c == "}" then return members end
        if c ~= "," then return nil end
        i = skip_ws(s, k + 1)
    end
    return nil
end

-- Decoded length of a base64 string.
local function b64_len(v)
    if type(v) ~= "string" then return nil end
    local pad = #(v:match("=*$"))
    return math.floor(#v / 4) * 3 - pad
end

local function as_number(v)
    if type(v) == "string" and v:match("^%d+$") then return tonumber(v) end
    return nil
end

-- Per-connection state, built in capture order on the first pass; the verdict for each frame is kept so that a
-- later (random-order) dissection shows the same warnings.
local streams = {}
local verdicts = {}

local function stream_state(pinfo)
    local fi = tcp_stream()
    local key = fi and tostring(fi.value) or (tostring(pinfo.src) .. tostring(pinfo.dst))
    local st = streams[key]
    if not st then
        st = { handshake_seen = false, chat_ready = false, last = {}, client = nil }
        streams[key] = st
    end
    return st
end

local function endpoint(pinfo, source)
    if source then return tostring(pinfo.src) .. ":" .. pinfo.src_port end
    return tostring(pinfo.dst) .. ":" .. pinfo.dst_port
end

local function judge(pinfo, m)
    local st = stream_state(pinfo)
    local from = endpoint(pinfo, true)
    local v = {}
    if m.type == "hello" then
        st.handshake_seen, st.chat_ready, st.client, st.last = true, false, from, {}
    end
    if st.client then
        v.direction = (from == st.client) and "c2s" or "s2c"
    elseif pinfo.dst_port == DEFAULT_PORT then
        v.direction = "c2s"
    elseif pinfo.src_port == DEFAULT_PORT then
        v.direction = "s2c"
    end
    if m.type == "dh_server" and m.phase == "chat" then st.chat_ready = true end
    if m.type == "msg" then
        if st.handshake_seen and not st.chat_ready then v.early = true end
        local seq = as_number(m.seqno)
        if seq then
            local last = st.last[from]
            if last == nil and st.handshake_seen then last = 0 end
            if last ~= nil then
                if seq <= last then v.back = last elseif seq > last + 1 then v.gap = last end
            end
            if last == nil or seq > last then st.last[from] = seq end
        end
    end
    return v
end

local function summary(m, v)
    local t = m.type
    local dir = v.direction and (" " .. v.direction) or ""
    if t == "msg" then
        return string.format("msg%s seqno=%s ct=%sB", dir, m.seqno or "?", tostring(b64_len(m.ct) or "?"))
    elseif t == "dh_client" or t == "dh_server" then
        return string.format("%s %s %s", t, m.phase or "?", m.group or "?")
    elseif t == "receipt" then
        return string.format("receipt %s c2s=%s s2c=%s", m.peer or "?", m.c2s_last_seq or "?", m.s2c_last_seq or "?")
    elseif t == "error" then
        return "error " .. (m.code or "?")
    elseif t == "auth_request" or t == "auth_response" then
        return string.format("%s ct=%sB", t, tostring(b64_len(m.ct) or "?"))
    end
    return t
end

local function set_info(pinfo, text)
    if tostring(pinfo.cols.protocol) ~= "SecureChat" then
        pinfo.cols.protocol = "SecureChat"
        pinfo.cols.info = text
    else
        pinfo.cols.info:append(", " .. text)
    end
end

local function add_len(tree, field, value)
    local n = b64_len(value)
    if n then tree:add(field, n) end
end

local function dissect_frame(tvb, pinfo, root)
    local length = tvb(0, 4):uint()
    local tree = root:add(p, tvb(), "SecureChat")
    local len_item = tree:add(f.length, tvb(0, 4))
    if length == 0 or length > MAX_FRAME then
        len_item:add_proto_expert_info(e.oversized,
            string.format("SecureChat: length prefix %d is outside 1..%d (FRAME_TOO_LARGE)", length, MAX_FRAME))
        set_info(pinfo, string.format("bad length %d", length))
        return tvb:len()
    end
    local body_range = tvb(4)
    local body = body_range:string()
    tree:add(f.body, body_range)
    local m = parse_object(body)
    if not m or type(m.type) ~= "string" then
        tree:add_proto_expert_info(e.malformed)
        set_info(pinfo, "malformed frame")
        return tvb:len()
    end

    local key = pinfo.number .. ":" .. tvb:offset()
    local v = verdicts[key]
    if not pinfo.visited or not v then
        v = judge(pinfo, m)
        verdicts[key] = v
    end

    tree:append_text(": " .. m.type)
    local type_item = tree:add(f.type, m.type)
    if v.direction then tree:add(f.direction, v.direction) end
    local t = m.type
    if t == "hello" or t == "server_hello" then
        if as_number(m.version) then tree:add(f.version, as_number(m.version)) end
        local cert = m.client_cert or m.server_cert
        if type(cert) == "string" then tree:add(f.cert_len, #cert) end
        add_len(tree, f.nonce_len, m.nonce)
    elseif t == "dh_client" or t == "dh_server" then
        if m.phase then tree:add(f.phase, m.phase) end
        if m.group then tree:add(f.group, m.group) end
        add_len(tree, f.a_len, m.A)
        add_len(tree, f.b_len, m.B)
        add_len(tree, f.sig_len, m.sig)
    elseif t == "auth_request" or t == "auth_response" then
        add_len(tree, f.ct_len, m.ct)
    elseif t == "msg" then
        local seq_item
        if as_number(m.seqno) then seq_item = tree:add(f.seqno, UInt64(as_number(m.seqno))) end
        local ts = as_number(m.ts)
        if ts then
            tree:add(f.ts, UInt64(ts)):append_text(" (" .. os.date("!%Y-%m-%d %H:%M:%S", math.floor(ts / 1000)) .. " UTC)")
        end
        add_len(tree, f.ct_len, m.ct)
        add_len(tree, f.commit_len, m.commit)
        add_len(tree, f.sig_len, m.sig)
        local at = seq_item or type_item
        if v.early then at:add_proto_expert_info(e.early_msg) end
        if v.back then
            at:add_proto_expert_info(e.seq_back, string.format(
                "SecureChat: seqno %s goes back (last in this direction was %d): replayed message", m.seqno, v.back))
        end
        if v.gap then
            at:add_proto_expert_info(e.seq_gap, string.format(
                "SecureChat: seqno %s skips (last in this direction was %d): message missing", m.seqno, v.gap))
        end
    elseif t == "receipt" then
        if m.peer then tree:add(f.peer, m.peer) end
        if m.session_id then tree:add(f.session, m.session_id) end
        if as_number(m.c2s_last_seq) then tree:add(f.c2s_last, UInt64(as_number(m.c2s_last_seq))) end
        if as_number(m.s2c_last_seq) then tree:add(f.s2c_last, UInt64(as_number(m.s2c_last_seq))) end
        if m.transcript_sha256 then tree:add(f.hash, m.transcript_sha256) end
        add_len(tree, f.sig_len, m.sig)
    elseif t == "error" then
        local code = m.code or "?"
        local code_item = tree:add(f.code, code)
        if m.message then tree:add(f.message, m.message) end
        code_item:add_proto_expert_info(e.error_frame,
            string.format("SecureChat: error frame %s: %s", code, m.message or ""))
    end
    set_info(pinfo, summary(m, v))
    return tvb:len()
end

local function frame_length(tvb, pinfo, offset)
    local length = tvb(offset, 4):uint()
    if length == 0 or length > MAX_FRAME then
        -- The receiver refuses such a prefix at once and closes; the rest of this segment is not framed.
        return tvb:len() - offset
    end
    return length + 4
end

function p.dissector(tvb, pinfo, tree)
    dissect_tcp_pdus(tvb, tree, 4, frame_length, dissect_frame, true)
    return tvb:len()
end

local function heuristic(tvb, pinfo, tree)
    if tvb:len() < 12 then return false end
    local length = tvb(0, 4):uint()
    if length < 8 or length > MAX_FRAME then return false end
    if tvb(4, 8):string() ~= '{"type":' then return false end
    -- Heuristic dissectors are called with desegmentation already used up by TCP's own attempts; restore it so that
    -- a frame split across segments is reassembled, then keep this connection for SecureChat.
    if pinfo.can_desegment > 0 then pinfo.can_desegment = 2 end
    pinfo.conversation = p
    p.dissector(tvb, pinfo, tree)
    return true
end

function p.init()
    streams = {}
    verdicts = {}
end

DissectorTable.get("tcp.port"):add(DEFAULT_PORT, p)
p:register_heuristic("tcp", heuristic)
