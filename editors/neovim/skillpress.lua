-- Neovim 0.11+: put this file in ~/.config/nvim/plugin/ (or paste it into init.lua).
vim.lsp.config("skillpress", {
  cmd = { "skillpress", "server" },
  filetypes = { "markdown" },
  root_markers = { "SKILL.md", "skillpress.toml", ".git" },
  init_options = { model = "claude-sonnet-4-6" },
})
vim.lsp.enable("skillpress")
-- Code lenses (tokens per tier) are shown after `:lua vim.lsp.codelens.refresh()`;
-- refresh them on save:
vim.api.nvim_create_autocmd({ "BufEnter", "BufWritePost" }, {
  pattern = "*.md",
  callback = function() vim.lsp.codelens.refresh({ bufnr = 0 }) end,
})
