-- Driven by neovim.test.ts: a real Neovim with the editors/neovim snippet opens a .plumb file,
-- waits for the server's diagnostics, asks for hover and definition, and writes what it got
-- as JSON to $PLUMB_NVIM_OUT. Whatever happens, it writes the file and quits.

local out_path = os.getenv('PLUMB_NVIM_OUT')
local results = { steps = {} }

local function step(name) table.insert(results.steps, name) end

local function run()
  vim.g.plumb_lsp_cmd = { os.getenv('PLUMB_NODE'), os.getenv('PLUMB_SERVER'), 'lsp', '--stdio' }
  dofile(os.getenv('PLUMB_SNIPPET'))
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('PLUMB_FILE')))
  local buf = vim.api.nvim_get_current_buf()
  results.filetype = vim.bo[buf].filetype
  -- The group the Vim syntax file (editors/vim, put on the runtime path by the snippet) gives
  -- the first word of the second line, `network`.
  results.syntax = vim.fn.synIDattr(vim.fn.synID(2, 1, 1), 'name')
  step('opened')

  results.attached = vim.wait(20000, function()
    for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
      if client.initialized then return true end
    end
    return false
  end, 50)
  step('attached')

  vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
  results.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(results.diagnostics, {
      lnum = d.lnum, col = d.col, message = d.message, severity = d.severity, code = lsp.code or d.code,
    })
  end
  step('diagnostics')

  local function request(method, line, character)
    local params = {
      textDocument = vim.lsp.util.make_text_document_params(buf),
      position = { line = line, character = character },
    }
    local responses = vim.lsp.buf_request_sync(buf, method, params, 10000)
    for _, r in pairs(responses or {}) do
      if r.result then return r.result end
      if r.err then return { error = r.err.message } end
    end
    return vim.NIL
  end

  local hover = request('textDocument/hover', tonumber(os.getenv('PLUMB_HOVER_LINE')), tonumber(os.getenv('PLUMB_HOVER_CHAR')))
  results.hover = hover ~= vim.NIL and hover.contents and hover.contents.value or vim.NIL
  step('hover')

  local definition = request('textDocument/definition', tonumber(os.getenv('PLUMB_DEF_LINE')), tonumber(os.getenv('PLUMB_DEF_CHAR')))
  if definition ~= vim.NIL and definition[1] then definition = definition[1] end
  results.definition = definition
  step('definition')
end

local ok, err = pcall(run)
if not ok then results.error = tostring(err) end
local f = io.open(out_path, 'w')
f:write(vim.fn.json_encode(results))
f:close()
vim.cmd('qa!')
