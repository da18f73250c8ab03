-- Plumb for Neovim: *.plumb files get the `plumb` filetype and the Plumb language server
-- (`plumb lsp`): diagnostics as you type, proofs on save, hover, go to definition, references,
-- rename, completion, outline, formatting and quick fixes; highlighting from editors/vim.
--
-- Use: copy this file to ~/.config/nvim/plugin/plumb.lua (or `dofile` it from init.lua).
-- The server command is `plumb lsp --stdio`; set `vim.g.plumb_lsp_cmd` before this file runs to
-- use another one, e.g. { 'npx', 'plumb', 'lsp', '--stdio' }.
-- Neovim 0.8+ uses vim.lsp.start; Neovim 0.7 falls back to vim.lsp.start_client.

local M = {}

-- Highlighting is the Vim syntax file (editors/vim, the only highlighting Neovim < 0.9 gets; on
-- 0.9+ the server's semantic tokens colour names on top of it). Loaded from a checkout, this
-- file puts editors/vim on the runtime path; a copy needs editors/vim installed beside it.
local source = debug.getinfo(1, 'S').source
local here = source:sub(1, 1) == '@' and vim.fn.fnamemodify(source:sub(2), ':p:h') or nil
if here then
  local vim_dir = vim.fn.fnamemodify(here .. '/../vim', ':p'):gsub('/$', '')
  local loaded = vim.tbl_contains(vim.api.nvim_list_runtime_paths(), vim_dir)
  if not loaded and vim.fn.filereadable(vim_dir .. '/syntax/plumb.vim') == 1 then
    vim.opt.runtimepath:prepend(vim_dir)
  end
end

-- One intent is the *.plumb files of one folder: one server per folder.
local function root_dir(bufnr)
  return vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
end

local clients = {} -- root folder -> client id (Neovim 0.7 only)

function M.start(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local config = {
    name = 'plumb',
    cmd = vim.g.plumb_lsp_cmd or { 'plumb', 'lsp', '--stdio' },
    root_dir = root_dir(bufnr),
  }
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[config.root_dir]
  if not id or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
  return id
end

local group = vim.api.nvim_create_augroup('plumb', { clear = true })
vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
  group = group,
  pattern = '*.plumb',
  callback = function(args)
    vim.bo[args.buf].filetype = 'plumb'
  end,
})
vim.api.nvim_create_autocmd('FileType', {
  group = group,
  pattern = 'plumb',
  callback = function(args)
    vim.bo[args.buf].commentstring = '# %s'
    M.start(args.buf)
  end,
})

return M
