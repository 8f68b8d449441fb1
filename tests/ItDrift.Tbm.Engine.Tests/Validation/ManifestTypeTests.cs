using ItDrift.Tbm.Tests.Support;

namespace ItDrift.Tbm.Tests.Validation;

/// <summary>Every JSON value of the wrong type in model.json is a model error naming model.json, the property path and its line.</summary>
public sealed class ManifestTypeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("\"costAccounts\": [[\"4000\", \"8999\"]]", "costAccounts[0]", "must be [from, to] with two whole account numbers")]
    [InlineData("\"costAccounts\": [[4000, true]]", "costAccounts[0]", "must be [from, to] with two whole account numbers")]
    [InlineData("\"costAccounts\": [[4000.5, 8999]]", "costAccounts[0]", "must be [from, to] with two whole account numbers")]
    [InlineData("\"costAccounts\": [[null, {}]]", "costAccounts[0]", "must be [from, to] with two whole account numbers")]
    [InlineData("\"costAccounts\": \"4000-8999\"", "costAccounts", "must be a non-empty list of [from, to] account ranges")]
    [InlineData("\"threeYearWindow\": [\"a\"]", "threeYearWindow", "must be a list of distinct whole year offsets between -10 and 10, e.g. [-1, 0, 1]")]
    [InlineData("\"threeYearWindow\": [[-1], {}]", "threeYearWindow", "must be a list of distinct whole year offsets between -10 and 10, e.g. [-1, 0, 1]")]
    [InlineData("\"threeYearWindow\": 3", "threeYearWindow", "must be a list of distinct whole year offsets between -10 and 10, e.g. [-1, 0, 1]")]
    [InlineData("\"feeModel\": [\"actual\"]", "feeModel", "must be one of actual, price-list, three-year")]
    [InlineData("\"feeModel\": {\"2025\": 7}", "feeModel.2025", "must be one of actual, price-list, three-year")]
    [InlineData("\"currency\": 752", "currency", "must be a non-empty string")]
    [InlineData("\"taxonomy\": [\"tbm\"]", "taxonomy", "must be a non-empty string")]
    [InlineData("\"name\": {\"sv\": \"x\"}", "name", "must be a non-empty string")]
    public void Validate_ReportsAValueOfTheWrongType_NamingItsPathAndLine(string property, string path, string reason)
    {
        var files = SmallModel.Files();
        files["model.json"] = "{\n  \"supplier\": {\"id\": \"FK\", \"name\": \"Försäkringskassan\", \"orgNr\": \"202100-5521\"},\n  " + property + "\n}\n";
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("model.json", 3, path), (error.File, error.Line, error.Column));
        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"supplier\": [\"FK\"]", "supplier", 2)]
    [InlineData("\"supplier\": {\"id\": 5, \"name\": \"x\", \"orgNr\": \"202100-5521\"}", "supplier.id", 2)]
    [InlineData("\"supplier\": {\"id\": \"FK\", \"name\": [], \"orgNr\": \"202100-5521\"}", "supplier.name", 2)]
    [InlineData("\"supplier\": {\"id\": \"FK\", \"name\": \"x\", \"orgNr\": 2021005521}", "supplier.orgNr", 2)]
    public void Validate_ReportsASupplierOfTheWrongType(string supplier, string path, int line)
    {
        var files = SmallModel.Files();
        files["model.json"] = "{\n  " + supplier + "\n}\n";
        var result = TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("model.json", line, path), (error.File, error.Line, error.Column));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".work")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Validate_RefusesASupplierId_ThatPublishWouldRefuse(string id)
    {
        var files = SmallModel.Files();
        files["model.json"] = "{\n  \"supplier\": {\"id\": \"" + id + "\", \"name\": \"x\", \"orgNr\": \"202100-5521\"}\n}\n";
        var error = Assert.Single(TbmEngine.Validate(SmallModel.Write(_temp.Combine("model"), files)).Errors);
        Assert.Equal(("model.json", 2, "supplier.id"), (error.File, error.Line, error.Column));
        Assert.EndsWith("is not a supplier id: letters, digits, '_', '-', '.', at most 200 characters, not starting with '.'", error.Reason, StringComparison.Ordinal);
    }
}
