/** The query GraphiQL opens with: several products and their missing KBs in one request. */
export const EXAMPLE_QUERY = `# Missing security updates for several products, in one request.
# Press the run button (or Ctrl+Enter). Hover a field for its documentation.
query MissingUpdates {
  softwareByIds(ids: ["microsoft-_-edge", "microsoft-_-windows_10", "google-_-chrome", "microsoft-_-office"]) {
    id
    name
    vendor
    exposedMachines
    weaknesses
    missingKbs {
      id
      name
      url
      machineMissedOn
      cveAddressed
      productsNames
    }
  }
}
`;
