-- Neovim's built-in LSP client against `async-analyzer server` (tests/t_lsp_nvim.sh).
-- Written for Neovim 0.7 (Debian 12's), which has vim.lsp.start_client but not
-- vim.lsp.start. Prints "ok - ..." / "not ok - ..." lines and quits with the number of
-- failures as its status (cquit), 0 when all passed.
local bin = assert(os.getenv('AA_BIN'), 'AA_BIN is not set')
local failures, checked = 0, 0
local function check(cond, what, detail)
  checked = checked + 1
  if cond then
    print('ok - ' .. what)
  else
    failures = failures + 1
    print('not ok - ' .. what .. (detail and (': ' .. vim.inspect(detail)) or ''))
  end
end

local function ours()
  return vim.tbl_filter(function(d) return d.source == 'async-analyzer' end, vim.diagnostic.get(0))
end

-- The file to check is the one Neovim was started on (buffer 0).
local client = vim.lsp.start_client({
  name = 'async-analyzer',
  cmd = { bin, 'server' },
  root_dir = vim.fn.getcwd(),
})
check(client ~= nil, 'the client started the server')
vim.lsp.buf_attach_client(0, client)

check(vim.wait(10000, function() return #ours() == 1 end, 50), 'diagnostics arrive for the opened buffer', ours())
local d = ours()[1] or {}
local line = vim.api.nvim_buf_get_lines(0, 4, 5, false)[1] or ''
-- The finding's column is the byte column of `time.sleep` (Neovim converts from UTF-16).
local want_col = (line:find('time.sleep', 1, true) or 0) - 1
check(d.lnum == 4 and d.col == want_col, 'the finding is on time.sleep, past the non-ASCII text',
  { lnum = d.lnum, col = d.col, want = want_col })
check((d.message or ''):find('time.sleep', 1, true) ~= nil and d.severity == vim.diagnostic.severity.WARN,
  'message, and the severity pyproject.toml gives (warning)', d)

local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', {
  textDocument = vim.lsp.util.make_text_document_params(0),
  position = { line = 4, character = vim.lsp.util.character_offset(0, 4, want_col + 2, 'utf-16') },
}, 5000)
local value = hover and hover[client] and hover[client].result and hover[client].result.contents.value or ''
check(value:find('# AA101 blocking-sleep', 1, true) == 1, 'hover shows the rule page', value:sub(1, 80))

-- An edit through the buffer: Neovim sends didChange, the finding goes away.
vim.api.nvim_buf_set_lines(0, 4, 5, false, { (line:gsub('time%.sleep%(1%)', 'await asyncio.sleep(1)')) })
check(vim.wait(10000, function() return #ours() == 0 end, 50), 'an edit clears the finding', ours())

vim.lsp.stop_client(client)
check(vim.wait(5000, function() return vim.lsp.get_client_by_id(client) == nil end, 50), 'the server stopped')
print(string.format('nvim: %d checks, %d failed', checked, failures))
vim.cmd((failures == 0 and checked > 0) and 'qall!' or ('cquit ' .. math.max(failures, 1)))
